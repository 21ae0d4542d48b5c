//! Where a run's PDF goes: one file, written beside its place as a hidden `.part` file and
//! renamed into place only when the run succeeds; or a folder of one file per recipient
//! (`0001 Nowak, Anna.pdf`), each created new so nothing already there is overwritten. Until
//! `commit`, dropping the output removes every file it wrote, so a cancelled or failed run
//! leaves nothing behind.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::layout::Page;
use super::pdf::{DocInfo, PdfWriter};
use crate::contacts::Contact;
use crate::{Error, Result};

/// One combined PDF, or one PDF per recipient in a folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "path", rename_all = "camelCase")]
pub enum Target {
    File(PathBuf),
    Folder(PathBuf),
}

impl Target {
    pub fn path(&self) -> &Path {
        match self {
            Target::File(path) | Target::Folder(path) => path,
        }
    }
}

pub(super) struct Output<'a> {
    info: DocInfo<'a>,
    sink: Sink,
    /// Every file written so far (the `.part` file for a combined PDF).
    written: Vec<PathBuf>,
    /// The folder, when this run created it.
    created_dir: Option<PathBuf>,
    pages: usize,
    committed: bool,
}

enum Sink {
    File { pdf: Option<Box<PdfWriter<BufWriter<File>>>>, part: PathBuf, path: PathBuf },
    Folder(PathBuf),
}

/// What a finished output holds.
pub(super) struct Written {
    pub files: Vec<PathBuf>,
    pub pages: usize,
    pub bytes: u64,
}

impl<'a> Output<'a> {
    pub fn create(target: &Target, info: DocInfo<'a>) -> Result<Output<'a>> {
        let output =
            |sink, written, created_dir| Output { info, sink, written, created_dir, pages: 0, committed: false };
        match target {
            Target::File(path) => {
                let name = path.file_name().ok_or_else(|| not_a_file(path))?.to_string_lossy();
                let part = path.with_file_name(format!(".{name}.part"));
                let file = File::create(&part).map_err(|e| with_path(path, e))?;
                // Built first, so the part file goes away if even the PDF's header fails.
                let mut output =
                    output(Sink::File { pdf: None, part: part.clone(), path: path.clone() }, vec![part], None);
                let pdf = PdfWriter::new(BufWriter::new(file), &output.info)?;
                if let Sink::File { pdf: slot, .. } = &mut output.sink {
                    *slot = Some(Box::new(pdf));
                }
                Ok(output)
            }
            Target::Folder(dir) => {
                let created = !dir.is_dir();
                if created {
                    fs::create_dir_all(dir).map_err(|e| with_path(dir, e))?;
                }
                Ok(output(Sink::Folder(dir.clone()), Vec::new(), created.then(|| dir.clone())))
            }
        }
    }

    /// Adds one recipient's pages: to the combined PDF, or as file `number` of the folder.
    pub fn add(&mut self, number: usize, contact: &Contact, pages: &[Page]) -> Result<()> {
        match &mut self.sink {
            Sink::File { pdf, .. } => add_pages(pdf.as_mut().expect("open until finished"), pages)?,
            Sink::Folder(dir) => {
                let path = dir.join(format!("{number:04} {}.pdf", file_name(contact)));
                let file = File::create_new(&path).map_err(|e| match e.kind() {
                    io::ErrorKind::AlreadyExists => Error::Io(io::Error::new(
                        e.kind(),
                        format!("{} already exists; nothing was overwritten (choose an empty folder)", path.display()),
                    )),
                    _ => with_path(&path, e),
                })?;
                self.written.push(path);
                let mut pdf = PdfWriter::new(BufWriter::new(file), &self.info)?;
                add_pages(&mut pdf, pages)?;
                pdf.finish()?.flush()?;
            }
        }
        self.pages += pages.len();
        Ok(())
    }

    /// Pages that belong to no one recipient (a sheet of labels); combined PDFs only.
    pub fn add_sheet(&mut self, pages: &[Page]) -> Result<()> {
        match &mut self.sink {
            Sink::File { pdf, .. } => add_pages(pdf.as_mut().expect("open until finished"), pages)?,
            Sink::Folder(_) => unreachable!("labels are refused for folders before printing starts"),
        }
        self.pages += pages.len();
        Ok(())
    }

    /// Writes the end of the combined PDF; the files are still removed on drop until `commit`.
    pub fn finish(&mut self) -> Result<Written> {
        if let Sink::File { pdf, .. } = &mut self.sink {
            let mut out = pdf.take().expect("finished once").finish()?;
            out.flush()?;
        }
        let mut bytes = 0;
        for file in &self.written {
            bytes += fs::metadata(file)?.len();
        }
        let files = match &self.sink {
            Sink::File { path, .. } => vec![path.clone()],
            Sink::Folder(_) => self.written.clone(),
        };
        Ok(Written { files, pages: self.pages, bytes })
    }

    /// Puts the combined PDF in its place (over an older file of that name) and keeps every file.
    pub fn commit(&mut self) -> Result<()> {
        if let Sink::File { part, path, .. } = &self.sink {
            fs::rename(part, path).map_err(|e| with_path(path, e))?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Output<'_> {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        // Best effort: the run already failed or was cancelled, and that is what gets reported.
        for file in &self.written {
            let _ = fs::remove_file(file);
        }
        if let Some(dir) = &self.created_dir {
            let _ = fs::remove_dir(dir);
        }
    }
}

fn add_pages<W: Write>(pdf: &mut PdfWriter<W>, pages: &[Page]) -> io::Result<()> {
    pages.iter().try_for_each(|page| pdf.add_page(page))
}

/// "Nowak, Anna" (or the display name when there is no family name), made safe as a file name
/// on every system: no path separators or characters Windows refuses, no control characters,
/// no leading or trailing dots or spaces, at most 80 characters.
pub fn file_name(contact: &Contact) -> String {
    let d = &contact.draft;
    let name = if d.family_name.is_empty() || d.given_name.is_empty() {
        contact.display_name.clone()
    } else {
        format!("{}, {}", d.family_name, d.given_name)
    };
    let safe: String = name
        .chars()
        .map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let safe: String = safe.chars().take(80).collect();
    let safe = safe.trim_matches(|c: char| c == '.' || c == ' ');
    if safe.is_empty() { "contact".to_string() } else { safe.to_string() }
}

fn with_path(path: &Path, e: io::Error) -> Error {
    Error::Io(io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display())))
}

fn not_a_file(path: &Path) -> Error {
    Error::Io(io::Error::new(io::ErrorKind::InvalidInput, format!("{} is not a file name", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::ContactDraft;

    fn named(given: &str, family: &str, display: &str) -> Contact {
        let now = chrono::Utc::now();
        Contact {
            id: uuid::Uuid::now_v7(),
            display_name: display.into(),
            draft: ContactDraft { given_name: given.into(), family_name: family.into(), ..Default::default() },
            created_at: now,
            updated_at: now,
            deleted_at: None,
        }
    }

    #[test]
    fn file_names_are_family_comma_given_and_safe() {
        assert_eq!(file_name(&named("Anna", "Nowak", "Anna Nowak")), "Nowak, Anna");
        assert_eq!(file_name(&named("", "", "Acme Inc.")), "Acme Inc");
        assert_eq!(file_name(&named("", "", "../../etc/passwd")), "etc passwd");
        assert_eq!(file_name(&named("A:B", "C/D\\E", "")), "C D E, A B");
        assert_eq!(file_name(&named("", "", "..")), "contact");
        assert_eq!(file_name(&named("", "", &"Ł".repeat(200))).chars().count(), 80);
    }
}
