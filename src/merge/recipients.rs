//! Who a merge goes to (letters, envelopes, labels, email, fax): everyone a search finds, a
//! saved smart list's members, or contacts picked by hand, in the order asked for.

use serde::{Deserialize, Serialize};

use super::letters::{RecipientOrder, recipients};
use crate::contacts::{self, Contact, ContactId};
use crate::workflow::lists::{Filter, get_list, list_matching};
use crate::{Error, Result, Store};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "camelCase")]
pub enum Recipients {
    /// A search as typed in the contact list; blank for everyone.
    Search { query: String },
    /// A saved smart list, by name.
    List { name: String },
    /// A smart list's filter as it stands in the window, saved or not.
    Filter { filter: Box<Filter> },
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
                matching(store, &list.filter)?
            }
            Recipients::Filter { filter } => matching(store, filter)?,
            Recipients::Selection { ids } => ids.clone(),
        };
        let mut found = ids.iter().map(|id| contacts::get_contact(store.conn(), *id)).collect::<Result<Vec<_>>>()?;
        order.sort(&mut found);
        Ok(found)
    }
}

fn matching(store: &Store, filter: &Filter) -> Result<Vec<ContactId>> {
    Ok(list_matching(store, filter, 0, usize::MAX)?.rows.iter().map(|row| row.id).collect())
}
