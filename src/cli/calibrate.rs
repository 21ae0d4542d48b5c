//! `rolodeck calibrate LAYOUT DX DY`: remember how far this printer feeds a layout off, so
//! every later envelope or label sheet is shifted back into place.

use clap::Args;
use rolodeck::merge::Layout;
use rolodeck::merge::run::set_calibration;
use rolodeck::{Result, Store};

#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct CalibrateArgs {
    /// The layout, e.g. avery-5160 or envelope-dl
    layout: Layout,
    /// Millimetres to move everything right (negative: left)
    dx: f32,
    /// Millimetres to move everything down (negative: up)
    dy: f32,
}

pub fn run(store: &Store, args: CalibrateArgs) -> Result<()> {
    set_calibration(store.conn(), args.layout, (args.dx, args.dy))?;
    println!("{} will print {} mm right and {} mm down from now on", args.layout.name(), args.dx, args.dy);
    Ok(())
}
