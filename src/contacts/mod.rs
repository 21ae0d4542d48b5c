//! Contacts: the model, the rules a draft must follow, search, and the queries that store them.

pub mod custom;
pub mod model;
mod order;
mod queries;
pub mod search;
pub mod tags;
pub mod validate;

pub use model::{Address, Birthday, Circle, Contact, ContactDraft, ContactId, ContactRow, LabeledValue};
pub use order::ListOrder;
pub(crate) use queries::CHILD_TABLES;
pub use queries::{
    SearchPage, count_contacts, create_contact, create_contacts, create_contacts_with, delete_contact, delete_contacts,
    empty_trash, get_contact, list_trash, live_drafts, page_where, put_back_contact, restore_contact, search_contacts,
    trash_contact, update_contact,
};
pub(crate) use queries::{index_contact, index_new_rows};
