//! Running a merge end to end, for the CLI and the app alike: who gets one (and who doesn't,
//! and why), one per household if asked, each letter's pages in the chosen layout, written to
//! one PDF or one PDF per recipient (see `output`), with progress and a cancel flag. A run
//! that finishes is recorded (see `runs`) and goes on each recipient's timeline; a cancelled or
//! failed one leaves no file and no record. `reprint_run` prints a recorded run again.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::Layout;
use super::fax::{CoverText, fax_pages_for, fax_paper};
use super::fields::{DateStyle, Fields, Sender, fax_number, format_date, saved_sender};
use super::household::{address_to_household, group_households};
use super::images::SenderImages;
use super::layout::{Page, Paper};
use super::letters::{LetterRun, Skipped, letter_pages_for, postal_problem, record_on_timelines, return_address};
use super::output::{Output, Target};
use super::pdf::DocInfo;
use super::preflight::{Problem, preflight};
use super::runs::{NewRun, get_run, record_run, run_recipients};
use super::sheets::{Envelope, LabelRun, layout_envelopes, layout_label_sheets, layout_labels};
use super::svg::page_svg;
use super::template::Template;
use crate::contacts::{self, Contact, ContactId};
use crate::settings::{get_setting, set_setting};
use crate::store::atomically;
use crate::workflow::activity::ActivityKind;
use crate::workflow::consent::{Channel, get_consent};
use crate::workflow::links::households_of;
use crate::{Error, FieldError, Result};

/// What to print: everything a run needs besides its recipients, and all a re-print repeats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MergeSpec {
    pub layout: Layout,
    /// Letters and faxes: the template's name and text.
    #[serde(default)]
    pub template_name: String,
    #[serde(default)]
    pub template_source: String,
    pub options: MergeOptions,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MergeOptions {
    /// The date the letters carry (`today` in templates).
    pub date: NaiveDate,
    /// How it is written [default: US on US Letter, German on A4].
    #[serde(default)]
    pub date_style: Option<DateStyle>,
    /// "My details", as printed.
    #[serde(default)]
    pub sender: Sender,
    /// One letter per household (see `household`); letters, envelopes and labels only.
    #[serde(default)]
    pub household: bool,
    /// Labels: the first free label on a partly used sheet (1 = top left).
    #[serde(default = "first_label")]
    pub start_at: usize,
    /// Envelopes and labels: the printer's calibration offset, mm right and mm down.
    #[serde(default)]
    pub offset: (f32, f32),
    /// Faxes: the cover's subject [default: the template's name].
    #[serde(default)]
    pub fax_subject: String,
    /// Faxes: a note on the cover.
    #[serde(default)]
    pub fax_note: String,
}

fn first_label() -> usize {
    1
}

impl MergeOptions {
    /// Today's options for `layout`: today's date, the saved "My details" and the printer's
    /// saved offset; the rest as they come.
    pub fn saved(conn: &Connection, layout: Layout) -> Result<MergeOptions> {
        Ok(MergeOptions {
            date: chrono::Local::now().date_naive(),
            date_style: None,
            sender: saved_sender(conn)?,
            household: false,
            start_at: first_label(),
            offset: calibration(conn, layout)?,
            fax_subject: String::new(),
            fax_note: String::new(),
        })
    }
}

/// The printer's saved offset for `layout` (see `set_calibration`), mm right and mm down.
pub fn calibration(conn: &Connection, layout: Layout) -> Result<(f32, f32)> {
    Ok(get_setting(conn, &calibration_key(layout))?.unwrap_or((0.0, 0.0)))
}

/// Remembers how far this printer feeds `layout` off, so later sheets are shifted back.
pub fn set_calibration(conn: &Connection, layout: Layout, offset: (f32, f32)) -> Result<()> {
    set_setting(conn, &calibration_key(layout), &offset)
}

fn calibration_key(layout: Layout) -> String {
    format!("calibration.{}", layout.name())
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MergeReport {
    pub run_id: i64,
    /// Letters (faxes, envelopes, labels) printed.
    pub printed: usize,
    pub pages: usize,
    pub bytes: u64,
    pub skipped: Vec<Skipped>,
    /// The PDF, or each recipient's PDF in print order.
    pub files: Vec<PathBuf>,
}

/// Prints `spec` for `recipients` (in the order given) to `target`, records the run and puts
/// it on each recipient's timeline. `progress(done, total)` follows the letters (or labels) as
/// they are written; setting `cancel` stops the run, which then leaves no file, records
/// nothing and returns `Error::Cancelled`.
pub fn run_merge(
    conn: &Connection,
    spec: &MergeSpec,
    recipients: &[Contact],
    target: &Target,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<MergeReport> {
    let asked: Vec<Option<ContactId>> = recipients.iter().map(|c| Some(c.id)).collect();
    let job = Job { spec, recipients, asked: &asked, gone: Vec::new(), reprint_of: None };
    print_run(conn, job, target, progress, cancel)
}

/// Prints a recorded run again: the same recipients in the same order, with the template text,
/// sender, date and options it was printed with. Anyone trashed or deleted since is skipped
/// with the reason. The re-print is recorded as a run of its own and adds nothing to the
/// timelines, which already show the letter.
pub fn reprint_run(
    conn: &Connection,
    run_id: i64,
    target: &Target,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<MergeReport> {
    let run = get_run(conn, run_id)?;
    let asked = run_recipients(conn, run_id)?;
    let (mut recipients, mut gone) = (Vec::new(), Vec::new());
    for id in &asked {
        match id {
            Some(id) => recipients.push(contacts::get_contact(conn, *id)?),
            None => gone.push(Skipped { name: "a contact".into(), reason: "deleted for good since".into() }),
        }
    }
    let job = Job { spec: &run.spec, recipients: &recipients, asked: &asked, gone, reprint_of: Some(run_id) };
    print_run(conn, job, target, progress, cancel)
}

struct Job<'a> {
    spec: &'a MergeSpec,
    recipients: &'a [Contact],
    /// Recorded as the run's recipients.
    asked: &'a [Option<ContactId>],
    /// Recipients no longer in the file.
    gone: Vec<Skipped>,
    reprint_of: Option<i64>,
}

fn print_run(
    conn: &Connection,
    job: Job,
    target: &Target,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<MergeReport> {
    let spec = job.spec;
    check(spec, target)?;
    let template = parse_template(spec)?;
    let images = images_for(conn, spec)?;
    let content = Content::new(spec, template.as_ref(), &images);

    let mut skipped = job.gone;
    let mut chosen = Vec::new();
    for contact in job.recipients {
        match skip_reason(conn, spec.layout, contact)? {
            Some(reason) => skipped.push(Skipped { name: contact.display_name.clone(), reason }),
            None => chosen.push(contact),
        }
    }
    let letters: Vec<Vec<&Contact>> = if spec.options.household {
        let ids: Vec<ContactId> = chosen.iter().map(|c| c.id).collect();
        let (households, same) = group_households(&chosen, &households_of(conn, &ids)?);
        skipped.extend(same);
        households
    } else {
        chosen.into_iter().map(|c| vec![c]).collect()
    };
    if letters.is_empty() {
        return Err(nothing_to_print(&skipped));
    }

    let sender = &spec.options.sender;
    let title = content.title(spec);
    let mut output = Output::create(target, DocInfo { title: &title, author: &sender.name, created: Utc::now() })?;
    let today = content.today(spec);
    let fields_of = |members: &[&Contact]| {
        let mut fields = Fields::new(members[0], sender, &today);
        address_to_household(&mut fields, members, &sender.country);
        fields
    };
    let total = letters.len();
    progress(0, total);
    if let Content::Labels(labels) = &content {
        let blocks = |batch: &[Vec<&Contact>]| -> Vec<Vec<String>> {
            batch.iter().map(|members| fields_of(members).address_block.lines().map(str::to_string).collect()).collect()
        };
        let (mut done, mut failed) = (0, None);
        layout_label_sheets(&letters, blocks, *labels, |pages| {
            if cancel.load(Ordering::Relaxed) {
                return ControlFlow::Break(());
            }
            if let Err(err) = output.add_sheet(&pages) {
                failed = Some(err);
                return ControlFlow::Break(());
            }
            done += pages.iter().map(|p| p.targets.len()).sum::<usize>();
            progress(done, total);
            ControlFlow::Continue(())
        });
        if let Some(err) = failed {
            return Err(err);
        }
    } else {
        for (i, members) in letters.iter().enumerate() {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            output.add(i + 1, members[0], &content.pages(&fields_of(members), sender)?)?;
            progress(i + 1, total);
        }
    }
    if cancel.load(Ordering::Relaxed) {
        return Err(Error::Cancelled);
    }

    let written = output.finish()?;
    let printed: Vec<ContactId> = letters.iter().map(|members| members[0].id).collect();
    let path = std::path::absolute(target.path())?;
    let run_id = atomically(conn, |conn| {
        let run = NewRun {
            spec,
            recipients: job.asked,
            output: &path.to_string_lossy(),
            printed: printed.len(),
            skipped: skipped.len(),
            pages: written.pages,
            reprint_of: job.reprint_of,
        };
        let id = record_run(conn, &run, Utc::now())?;
        if job.reprint_of.is_none() {
            let (kind, what) = activity(spec);
            record_on_timelines(conn, &printed, kind, &what)?;
        }
        // Last, so a file in place always has its record.
        output.commit()?;
        Ok(id)
    })?;
    Ok(MergeReport {
        run_id,
        printed: printed.len(),
        pages: written.pages,
        bytes: written.bytes,
        skipped,
        files: written.files,
    })
}

/// How each letter's pages are made.
enum Content<'a> {
    Letter(LetterRun<'a>),
    Fax(LetterRun<'a>, CoverText<'a>),
    Envelopes(Envelope, (f32, f32)),
    Labels(LabelRun),
}

impl<'a> Content<'a> {
    /// `template` is there for the layouts that use one.
    fn new(spec: &'a MergeSpec, template: Option<&'a Template>, images: &'a SenderImages) -> Content<'a> {
        let o = &spec.options;
        let letter = |paper: Paper| LetterRun {
            template: template.expect("parsed for letters and faxes"),
            paper,
            date_style: o.date_style.unwrap_or(DateStyle::default_for(paper)),
            sender: &o.sender,
            images,
            today: o.date,
            title: &spec.template_name,
        };
        match spec.layout {
            Layout::Letter(paper) => Content::Letter(letter(paper)),
            Layout::Fax => {
                let subject = if o.fax_subject.is_empty() { &spec.template_name } else { &o.fax_subject };
                Content::Fax(letter(fax_paper(&o.sender)), CoverText { subject, note: &o.fax_note })
            }
            Layout::Envelope(envelope) => Content::Envelopes(envelope, o.offset),
            Layout::Labels(sheet) => Content::Labels(LabelRun { sheet, start_at: o.start_at, offset: o.offset }),
        }
    }

    fn title(&self, spec: &MergeSpec) -> String {
        match self {
            Content::Letter(_) | Content::Fax(..) => spec.template_name.clone(),
            Content::Envelopes(..) => "Envelopes".into(),
            Content::Labels(_) => "Address labels".into(),
        }
    }

    /// The date as the letters write it (envelopes and labels print none).
    fn today(&self, spec: &MergeSpec) -> String {
        let style = match self {
            Content::Letter(run) | Content::Fax(run, _) => run.date_style,
            _ => spec.options.date_style.unwrap_or(DateStyle::Us),
        };
        format_date(spec.options.date, style)
    }

    /// One letter's pages (labels are laid out a sheet at a time instead).
    fn pages(&self, fields: &Fields, sender: &Sender) -> Result<Vec<Page>> {
        match self {
            Content::Letter(run) => letter_pages_for(run, fields),
            Content::Fax(run, cover) => fax_pages_for(run, fields, cover),
            Content::Envelopes(envelope, offset) => {
                let lines = fields.address_block.lines().map(str::to_string).collect();
                Ok(layout_envelopes(*envelope, &return_address(sender), &[lines], *offset))
            }
            Content::Labels(_) => unreachable!("labels are laid out a sheet at a time, not by `pages`"),
        }
    }
}

/// The live preview of one recipient in any layout.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    /// One SVG document per page: the letter, the fax with its cover, the envelope, or the
    /// label sheet with their label where the run would start.
    pub pages: Vec<String>,
    /// Fields the template uses that don't exist (typos).
    pub unknown_fields: Vec<String>,
    /// Why this recipient would be skipped, if they would be.
    pub skip_reason: Option<String>,
}

pub fn preview(conn: &Connection, spec: &MergeSpec, contact: &Contact) -> Result<Preview> {
    let template = parse_template(spec)?;
    let images = images_for(conn, spec)?;
    let content = Content::new(spec, template.as_ref(), &images);
    let sender = &spec.options.sender;
    let fields = Fields::new(contact, sender, &content.today(spec));
    let pages = match content {
        Content::Labels(run) => {
            let lines = fields.address_block.lines().map(str::to_string).collect();
            layout_labels(run.sheet, &[lines], run.start_at, run.offset)
        }
        _ => content.pages(&fields, sender)?,
    };
    Ok(Preview {
        pages: pages.iter().map(page_svg).collect(),
        unknown_fields: template.as_ref().map(Template::unknown_fields).unwrap_or_default(),
        skip_reason: skip_reason(conn, spec.layout, contact)?,
    })
}

/// What to fix before printing `spec` for `recipients` (see `preflight`): letters and faxes.
pub fn preflight_run(conn: &Connection, spec: &MergeSpec, recipients: &[Contact]) -> Result<Vec<Problem>> {
    let template = parse_template(spec)?;
    let images = images_for(conn, spec)?;
    match Content::new(spec, template.as_ref(), &images) {
        Content::Letter(run) | Content::Fax(run, _) => preflight(&run, &spec.template_source, recipients),
        _ => Err(Error::Invalid(vec![FieldError::new("layout", "Preflight checks letters and faxes.")])),
    }
}

/// The sender's logo and signature, for the layouts that print them (letters and faxes).
fn images_for(conn: &Connection, spec: &MergeSpec) -> Result<SenderImages> {
    match spec.layout.uses_template() {
        true => SenderImages::load(conn, &spec.options.sender),
        false => Ok(SenderImages::default()),
    }
}

/// The run's template, for the layouts that use one.
fn parse_template(spec: &MergeSpec) -> Result<Option<Template>> {
    let template = spec.layout.uses_template().then(|| Template::parse(&spec.template_name, &spec.template_source));
    Ok(template.transpose()?)
}

/// Requests no run can print, refused before anything is written.
fn check(spec: &MergeSpec, target: &Target) -> Result<()> {
    let invalid = |field: &str, message: &str| Err(Error::Invalid(vec![FieldError::new(field, message)]));
    if spec.layout.uses_template() && spec.template_name.trim().is_empty() {
        return invalid("template", "Letters and faxes need a template.");
    }
    if spec.options.household && spec.layout == Layout::Fax {
        return invalid("household", "One per household is for letters, envelopes and labels: a fax goes to a number.");
    }
    if matches!(target, Target::Folder(_)) && matches!(spec.layout, Layout::Labels(_)) {
        return invalid("target", "One PDF per recipient is for letters, faxes and envelopes: labels share sheets.");
    }
    Ok(())
}

/// Why `contact` gets nothing printed in `layout`, if they don't (the Trash, do-not-mail or
/// do-not-fax, no postal address or fax number).
fn skip_reason(conn: &Connection, layout: Layout, contact: &Contact) -> Result<Option<String>> {
    if contact.deleted_at.is_some() {
        return Ok(Some("in the Trash".into()));
    }
    let channel = if layout == Layout::Fax { Channel::Fax } else { Channel::Mail };
    if let Some(reason) = get_consent(conn, contact.id)?.blocked(channel, &contact.display_name) {
        return Ok(Some(reason));
    }
    Ok(match layout {
        Layout::Fax => fax_number(&contact.draft).is_none_or(|n| n.trim().is_empty()).then(|| "no fax number".into()),
        _ => postal_problem(contact).map(str::to_string),
    })
}

/// What goes on each recipient's timeline.
fn activity(spec: &MergeSpec) -> (ActivityKind, String) {
    match spec.layout {
        Layout::Letter(_) => (ActivityKind::Letter, format!("Letter: {}", spec.template_name)),
        Layout::Fax => (ActivityKind::Fax, format!("Fax: {}", spec.template_name)),
        Layout::Envelope(_) => (ActivityKind::Letter, "Envelope printed".into()),
        Layout::Labels(_) => (ActivityKind::Letter, "Address label printed".into()),
    }
}

fn nothing_to_print(skipped: &[Skipped]) -> Error {
    if skipped.is_empty() {
        return Error::Missing("nothing to print: no recipients".into());
    }
    let first: Vec<String> = skipped.iter().take(3).map(|s| format!("{}: {}", s.name, s.reason)).collect();
    let more = if skipped.len() > 3 { "; …" } else { "" };
    Error::Missing(format!("nothing to print: all {} were skipped ({}{more})", skipped.len(), first.join("; ")))
}
