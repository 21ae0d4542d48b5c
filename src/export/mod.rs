//! Sending contacts out to other programs: one module per format, the mirror of `import`.

pub mod csv;
pub mod json;
pub mod vcard;

use crate::contacts::{self, Circle, ContactDraft};
use crate::{Result, Store};

/// Every live contact in list order, as vCard and CSV exports write them; Personal-circle
/// contacts only when `include_personal` is set.
pub fn contacts_to_export(store: &Store, include_personal: bool) -> Result<Vec<ContactDraft>> {
    let mut drafts = contacts::live_drafts(store)?;
    drafts.retain(|d| include_personal || d.circle != Circle::Personal);
    Ok(drafts)
}
