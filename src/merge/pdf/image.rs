//! Images as XObjects. Each is written once per PDF, when a page first shows it, and named in
//! the page tree's resources (/I0, /I1 …), which every page inherits: a 300-letter run carries
//! one copy of the logo, not 300. A JPEG goes in as it is (DCTDecode); a PNG as its samples,
//! Flate-compressed, with its alpha as a soft mask.

use std::io::{self, Write};

use super::objects::{ObjectId, Objects};
use super::syntax::push_uint;
use crate::merge::images::{Image, ImageFormat, ImageId};

/// The images written so far, in the order of their names.
#[derive(Default)]
pub struct ImageSet {
    written: Vec<(ImageId, ObjectId)>,
}

impl ImageSet {
    /// Writes `image` unless it already is in the file.
    pub fn add<W: Write>(&mut self, objects: &mut Objects<W>, image: &Image) -> io::Result<()> {
        if self.written.iter().any(|(id, _)| *id == image.id) {
            return Ok(());
        }
        let object = write_image(objects, image)?;
        self.written.push((image.id, object));
        Ok(())
    }

    /// The name pages draw `image` by (`/I0 Do`); it must have been added.
    pub fn name(&self, image: &Image) -> Vec<u8> {
        let index = self.written.iter().position(|(id, _)| *id == image.id).expect("added before it is drawn");
        let mut name = b"/I".to_vec();
        push_uint(&mut name, index as u64);
        name
    }

    /// The /XObject resource dictionary, or `None` when no page shows an image.
    pub fn resources(&self) -> Option<Vec<u8>> {
        if self.written.is_empty() {
            return None;
        }
        let mut dict = b"<<".to_vec();
        for (index, (_, object)) in self.written.iter().enumerate() {
            dict.extend_from_slice(b"/I");
            push_uint(&mut dict, index as u64);
            dict.push(b' ');
            push_uint(&mut dict, *object);
            dict.extend_from_slice(b" 0 R");
        }
        dict.extend_from_slice(b">>");
        Some(dict)
    }
}

fn write_image<W: Write>(objects: &mut Objects<W>, image: &Image) -> io::Result<ObjectId> {
    let object = objects.reserve();
    let color_space: &[u8] = if image.channels == 1 { b"/DeviceGray" } else { b"/DeviceRGB" };
    let dict = |extra: &[u8]| {
        let mut entries = b"/Type/XObject/Subtype/Image/Width ".to_vec();
        push_uint(&mut entries, image.width.into());
        entries.extend_from_slice(b"/Height ");
        push_uint(&mut entries, image.height.into());
        entries.extend_from_slice(b"/BitsPerComponent 8/ColorSpace");
        entries.extend_from_slice(extra);
        entries
    };
    match image.format {
        ImageFormat::Jpeg => objects.stream_with_filter(object, b"/DCTDecode", &dict(color_space), &image.bytes)?,
        ImageFormat::Png => {
            let raster = image
                .raster()
                .map_err(|why| io::Error::new(io::ErrorKind::InvalidData, format!("image {} {why}", image.id)))?
                .expect("a PNG has a raster");
            let mut entries = dict(color_space);
            if let Some(alpha) = &raster.alpha {
                let mask = objects.reserve();
                objects.stream(mask, &dict(b"/DeviceGray"), alpha)?;
                entries.extend_from_slice(b"/SMask ");
                push_uint(&mut entries, mask);
                entries.extend_from_slice(b" 0 R");
            }
            objects.stream(object, &entries, &raster.color)?;
        }
    }
    Ok(object)
}
