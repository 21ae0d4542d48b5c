//! Who a merge goes to (letters, envelopes, labels, email, fax): everyone a search finds, a
//! saved smart list's members, or contacts picked by hand, in the order asked for.

use serde::{Deserialize, Serialize};

use super::letters::{RecipientOrder, recipients};
use crate::contacts::{self, Contact, ContactId};
use crate::workflow::lists::{get_list, list_matching};
use crate::{Error, Result, Store};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "camelCase")]
pub enum Recipients {
    /// A search as typed in the contact list; blank for everyone.
    Search { query: String },
    /// A saved smart list, by name.
    List { name: String },
    /// Contacts picked one by one.
    Selection { ids: Vec<ContactId> },
}

impl Recipients {
    /// The contacts, in `order` (a selection keeps the order it was picked in unless asked
    /// for postal codes).
    pub fn resolve(&self, store: &Store, order: RecipientOrder) -> Result<Vec<Contact>> {
        let ids: Vec<ContactId> = match self {
            Recipients::Search { query } => return recipients(store, query, order),
            Recipients::List { name } => {
                let list = get_list(store.conn(), name)?.ok_or_else(|| {
                    Error::Missing(format!("no saved list named “{name}”; save one from a filter first"))
                })?;
                list_matching(store, &list.filter, 0, usize::MAX)?.rows.iter().map(|row| row.id).collect()
            }
            Recipients::Selection { ids } => ids.clone(),
        };
        let mut found = ids.iter().map(|id| contacts::get_contact(store.conn(), *id)).collect::<Result<Vec<_>>>()?;
        order.sort(&mut found);
        Ok(found)
    }
}
