//! Reading and writing contacts. A contact and its child rows (emails, phones, addresses,
//! websites, tags, custom field values) are always written together in one atomic unit; an
//! update replaces the child rows wholesale, which keeps their order exactly as the form showed it.

use std::collections::HashMap;

use chrono::Utc;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, named_params, params};
use serde::Serialize;
use uuid::Uuid;

use super::custom::{self, CustomField};
use super::model::{
    Address, Birthday, Circle, Contact, ContactDraft, ContactId, ContactRow, LabeledValue, display_name,
};
use super::search::{match_expression, search_text, sort_key};
use super::validate::{problems, tidy};
use crate::store::{atomically, parse_id, parse_timestamp, timestamp};
use crate::{Error, Result, Store};

/// One page of search results and how many there are in all (for the list's scroll height).
#[derive(Debug, Clone, Serialize)]
pub struct SearchPage {
    pub total: usize,
    pub rows: Vec<ContactRow>,
}

pub fn create_contact(conn: &Connection, draft: ContactDraft) -> Result<Contact> {
    let ids = create_contacts(conn, [draft])?;
    get_contact(conn, ids[0])
}

/// Creates many contacts as one unit: all of them are stored, or none is. Returns their ids
/// in order.
pub fn create_contacts(
    conn: &Connection,
    drafts: impl IntoIterator<Item = ContactDraft, IntoIter: Send>,
) -> Result<Vec<ContactId>> {
    create_contacts_with(conn, drafts, &mut || Ok(()))
}

/// How many prepared drafts go from the preparing thread to the writer at a time.
const HAND_OVER: usize = 256;

/// `create_contacts`, calling `written` after each contact is written (an import's progress);
/// an error from it (a cancel) stops the batch and takes back what was written. The drafts
/// are tidied, checked and their derived columns worked out on a second thread while this one
/// writes: SQLite's side is most of the work, and the rest hides behind it.
pub fn create_contacts_with(
    conn: &Connection,
    drafts: impl IntoIterator<Item = ContactDraft, IntoIter: Send>,
    written: &mut dyn FnMut() -> Result<()>,
) -> Result<Vec<ContactId>> {
    atomically(conn, |conn| {
        let first: i64 = conn.query_row("SELECT coalesce(max(seq), 0) + 1 FROM contacts", [], |r| r.get(0))?;
        let fields = custom::list_fields(conn)?;
        let mut tags = TagIds::default();
        let ids = std::thread::scope(|scope| {
            // Handed over in chunks: one wake-up of the writer per chunk, not per contact. The
            // writer hands each chunk back to be freed by the thread that allocated it: freeing
            // another thread's memory made the writer a third slower.
            let (ready, prepared) = std::sync::mpsc::sync_channel::<Vec<Result<Prepared>>>(4);
            let (spent, returned) = std::sync::mpsc::channel::<Vec<Prepared>>();
            let fields = &fields;
            let drafts = drafts.into_iter();
            scope.spawn(move || {
                let mut drafts = drafts.peekable();
                while drafts.peek().is_some() {
                    returned.try_iter().for_each(drop);
                    let chunk = drafts.by_ref().take(HAND_OVER).map(|draft| prepare(fields, draft)).collect();
                    if ready.send(chunk).is_err() {
                        return; // the writer met an error and hung up
                    }
                }
                drop(ready);
                returned.iter().for_each(drop);
            });
            without_checks(conn, || {
                let mut ids = Vec::new();
                for chunk in prepared {
                    let chunk = chunk.into_iter().collect::<Result<Vec<_>>>()?;
                    for new in &chunk {
                        ids.push(insert_contact(conn, fields, &mut tags, new)?);
                        written()?;
                    }
                    // Gone only if the preparing thread has stopped; then this thread frees it.
                    let _ = spent.send(chunk);
                }
                Ok(ids)
            })
        })?;
        index_new_rows(conn, first)?;
        Ok(ids)
    })
}

/// Runs `f` with SQLite's CHECK constraints off. SQLite evaluates a `CHECK (x IN ('a', 'b',
/// 'c'))` by building a temporary b-tree of the list for every row written, and the contacts
/// table has four of them: a third of the cost of inserting a contact. New contacts take the
/// checked columns from Rust enums (`circle`) and the columns' defaults (stage, grade, next
/// step), so those checks cannot fail here.
fn without_checks<T>(conn: &Connection, f: impl FnOnce() -> Result<T>) -> Result<T> {
    conn.pragma_update(None, "ignore_check_constraints", true)?;
    let result = f();
    conn.pragma_update(None, "ignore_check_constraints", false)?;
    result
}

/// Adds the live contacts from `first_seq` on to the search index, in one statement.
pub(crate) fn index_new_rows(conn: &Connection, first_seq: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO contacts_fts (rowid, search_text)
         SELECT seq, search_text FROM contacts WHERE seq >= ?1 AND deleted_at IS NULL",
    )?
    .execute([first_seq])?;
    Ok(())
}

/// Adds a live contact to the search index, or takes it out (before its text or state changes).
pub(crate) fn index_contact(conn: &Connection, id: ContactId, add: bool) -> Result<()> {
    let sql = if add {
        "INSERT INTO contacts_fts (rowid, search_text) SELECT seq, search_text FROM contacts WHERE id = ?1 AND deleted_at IS NULL"
    } else {
        "INSERT INTO contacts_fts (contacts_fts, rowid, search_text)
         SELECT 'delete', seq, search_text FROM contacts WHERE id = ?1 AND deleted_at IS NULL"
    };
    conn.prepare_cached(sql)?.execute([id.to_string()])?;
    Ok(())
}

/// A draft ready to be written: tidied, checked, and the columns derived from it worked out.
struct Prepared {
    draft: ContactDraft,
    display_name: String,
    sort_key: String,
    search_text: String,
}

/// Tidies a draft and checks it, its custom values against the fields defined now (which
/// turns each value into its field's kind), and works out its derived columns.
fn prepare(fields: &[CustomField], draft: ContactDraft) -> Result<Prepared> {
    let mut draft = tidy(draft);
    let mut errors = problems(&draft);
    match custom::normalise(fields, &draft.custom) {
        Ok(values) => draft.custom = values,
        Err(custom_errors) => errors.extend(custom_errors),
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    Ok(Prepared {
        display_name: display_name(&draft),
        sort_key: sort_key(&draft),
        search_text: search_text(&draft, fields),
        draft,
    })
}

fn insert_contact(conn: &Connection, fields: &[CustomField], tags: &mut TagIds, new: &Prepared) -> Result<ContactId> {
    let id = Uuid::now_v7();
    write_row(
        conn,
        "INSERT INTO contacts (id, prefix, given_name, middle_name, family_name, suffix, nickname, company,
            job_title, birthday, circle, notes, display_name, sort_key, search_text, created_at, updated_at)
         VALUES (:id, :prefix, :given_name, :middle_name, :family_name, :suffix, :nickname, :company,
            :job_title, :birthday, :circle, :notes, :display_name, :sort_key, :search_text, :now, :now)",
        id,
        new,
    )?;
    insert_children(conn, id, &new.draft, fields, tags)?;
    Ok(id)
}

pub fn update_contact(conn: &Connection, id: ContactId, draft: ContactDraft) -> Result<Contact> {
    let fields = custom::list_fields(conn)?;
    let prepared = prepare(&fields, draft)?;
    atomically(conn, |conn| {
        index_contact(conn, id, false)?;
        let changed = write_row(
            conn,
            "UPDATE contacts SET prefix = :prefix, given_name = :given_name, middle_name = :middle_name,
                family_name = :family_name, suffix = :suffix, nickname = :nickname, company = :company,
                job_title = :job_title, birthday = :birthday, circle = :circle, notes = :notes,
                display_name = :display_name, sort_key = :sort_key, search_text = :search_text, updated_at = :now
             WHERE id = :id",
            id,
            &prepared,
        )?;
        if changed == 0 {
            return Err(Error::no_contact(id));
        }
        for table in CHILD_TABLES {
            conn.prepare_cached(&format!("DELETE FROM {table} WHERE contact_id = ?1"))?.execute([id.to_string()])?;
        }
        insert_children(conn, id, &prepared.draft, &fields, &mut TagIds::default())?;
        index_contact(conn, id, true)?;
        get_contact(conn, id)
    })
}

/// Runs an INSERT or UPDATE of the contacts row, binding the draft's columns (and the ones
/// derived from it) by name, so both statements stay in step.
fn write_row(conn: &Connection, sql: &str, id: ContactId, prepared: &Prepared) -> Result<usize> {
    let draft = &prepared.draft;
    Ok(conn.prepare_cached(sql)?.execute(named_params! {
        ":id": id.to_string(),
        ":prefix": draft.prefix,
        ":given_name": draft.given_name,
        ":middle_name": draft.middle_name,
        ":family_name": draft.family_name,
        ":suffix": draft.suffix,
        ":nickname": draft.nickname,
        ":company": draft.company,
        ":job_title": draft.job_title,
        ":birthday": draft.birthday.map(Birthday::to_text),
        ":circle": draft.circle.as_str(),
        ":notes": draft.notes,
        ":display_name": prepared.display_name,
        ":sort_key": prepared.sort_key,
        ":search_text": prepared.search_text,
        ":now": timestamp(Utc::now()),
    })?)
}

/// The tables holding a contact's child rows, by `contact_id`.
pub(crate) const CHILD_TABLES: [&str; 6] = [
    "contact_emails",
    "contact_phones",
    "contact_addresses",
    "contact_websites",
    "contact_tags",
    "contact_custom_values",
];

fn insert_children(
    conn: &Connection,
    contact: ContactId,
    draft: &ContactDraft,
    fields: &[CustomField],
    tags: &mut TagIds,
) -> Result<()> {
    custom::write_values(conn, fields, contact, &draft.custom)?;
    let id = contact.to_string();
    for (table, rows) in [("contact_emails", &draft.emails), ("contact_phones", &draft.phones)] {
        let mut insert = conn.prepare_cached(&format!(
            "INSERT INTO {table} (contact_id, position, label, value, is_primary) VALUES (?1, ?2, ?3, ?4, ?5)"
        ))?;
        for (pos, row) in (0_i64..).zip(rows) {
            insert.execute(params![id, pos, row.label, row.value, row.primary])?;
        }
    }
    let mut insert = conn.prepare_cached(
        "INSERT INTO contact_addresses (contact_id, position, label, street, extra, city, region, postal_code, country, is_primary)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for (pos, a) in (0_i64..).zip(&draft.addresses) {
        insert.execute(params![
            id,
            pos,
            a.label,
            a.street,
            a.extra,
            a.city,
            a.region,
            a.postal_code,
            a.country,
            a.primary
        ])?;
    }
    let mut insert =
        conn.prepare_cached("INSERT INTO contact_websites (contact_id, position, url) VALUES (?1, ?2, ?3)")?;
    for (pos, url) in (0_i64..).zip(&draft.websites) {
        insert.execute(params![id, pos, url])?;
    }
    let mut link =
        conn.prepare_cached("INSERT INTO contact_tags (contact_id, position, tag_id) VALUES (?1, ?2, ?3)")?;
    for (pos, tag) in (0_i64..).zip(&draft.tags) {
        link.execute(params![id, pos, tags.id(conn, tag)?])?;
    }
    Ok(())
}

/// Tag ids by name, created as first used; one batch of contacts shares them, so an import
/// looks each tag up once rather than once per contact.
#[derive(Default)]
struct TagIds(HashMap<String, i64>);

impl TagIds {
    fn id(&mut self, conn: &Connection, name: &str) -> Result<i64> {
        if let Some(&id) = self.0.get(name) {
            return Ok(id);
        }
        conn.prepare_cached("INSERT INTO tags (name) VALUES (?1) ON CONFLICT (name) DO NOTHING")?.execute([name])?;
        let id = conn.prepare_cached("SELECT id FROM tags WHERE name = ?1")?.query_row([name], |r| r.get(0))?;
        self.0.insert(name.to_string(), id);
        Ok(id)
    }
}

/// The draft's own columns of the contacts row, in the order `draft_fields` reads them.
const DRAFT_COLUMNS: &str =
    "prefix, given_name, middle_name, family_name, suffix, nickname, company, job_title, birthday, circle, notes";

/// A draft's own fields from `DRAFT_COLUMNS`, starting at column `at`; its lists stay empty.
fn draft_fields(r: &Row, at: usize) -> rusqlite::Result<ContactDraft> {
    Ok(ContactDraft {
        prefix: r.get(at)?,
        given_name: r.get(at + 1)?,
        middle_name: r.get(at + 2)?,
        family_name: r.get(at + 3)?,
        suffix: r.get(at + 4)?,
        nickname: r.get(at + 5)?,
        company: r.get(at + 6)?,
        job_title: r.get(at + 7)?,
        birthday: r.get::<_, Option<String>>(at + 8)?.as_deref().and_then(Birthday::parse),
        circle: Circle::parse(&r.get::<_, String>(at + 9)?).unwrap_or_default(),
        notes: r.get(at + 10)?,
        ..Default::default()
    })
}

/// How one child table is read: its owner column first, then the values `put` places in the
/// draft, ordered by `position`. `get_contact` reads one contact's rows, `live_drafts` all.
struct ChildRead {
    select: &'static str,
    owner: &'static str,
    position: &'static str,
    put: fn(&Row, &mut ContactDraft) -> rusqlite::Result<()>,
}

const CHILD_READS: [ChildRead; 5] = [
    ChildRead {
        select: "SELECT contact_id, label, value, is_primary FROM contact_emails",
        owner: "contact_id",
        position: "position",
        put: |r, d| {
            d.emails.push(labeled_value(r)?);
            Ok(())
        },
    },
    ChildRead {
        select: "SELECT contact_id, label, value, is_primary FROM contact_phones",
        owner: "contact_id",
        position: "position",
        put: |r, d| {
            d.phones.push(labeled_value(r)?);
            Ok(())
        },
    },
    ChildRead {
        select: "SELECT contact_id, label, street, extra, city, region, postal_code, country, is_primary
                 FROM contact_addresses",
        owner: "contact_id",
        position: "position",
        put: |r, d| {
            d.addresses.push(Address {
                label: r.get(1)?,
                street: r.get(2)?,
                extra: r.get(3)?,
                city: r.get(4)?,
                region: r.get(5)?,
                postal_code: r.get(6)?,
                country: r.get(7)?,
                primary: r.get(8)?,
            });
            Ok(())
        },
    },
    ChildRead {
        select: "SELECT contact_id, url FROM contact_websites",
        owner: "contact_id",
        position: "position",
        put: |r, d| {
            d.websites.push(r.get(1)?);
            Ok(())
        },
    },
    ChildRead {
        select: "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id",
        owner: "ct.contact_id",
        position: "ct.position",
        put: |r, d| {
            d.tags.push(r.get(1)?);
            Ok(())
        },
    },
];

fn labeled_value(r: &Row) -> rusqlite::Result<LabeledValue> {
    Ok(LabeledValue { label: r.get(1)?, value: r.get(2)?, primary: r.get(3)? })
}

/// Any contact, trashed or not (a trashed one has `deleted_at` set).
pub fn get_contact(conn: &Connection, id: ContactId) -> Result<Contact> {
    let key = id.to_string();
    let contact = conn
        .prepare_cached(&format!(
            "SELECT {DRAFT_COLUMNS}, display_name, created_at, updated_at, deleted_at FROM contacts WHERE id = ?1"
        ))?
        .query_row([&key], |r| {
            Ok(Contact {
                id,
                display_name: r.get(11)?,
                draft: draft_fields(r, 0)?,
                created_at: parse_timestamp(&r.get::<_, String>(12)?)?,
                updated_at: parse_timestamp(&r.get::<_, String>(13)?)?,
                deleted_at: r.get::<_, Option<String>>(14)?.as_deref().map(parse_timestamp).transpose()?,
            })
        })
        .optional()?;
    let mut contact = contact.ok_or_else(|| Error::no_contact(id))?;
    for read in &CHILD_READS {
        let sql = format!("{} WHERE {} = ?1 ORDER BY {}", read.select, read.owner, read.position);
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([&key])?;
        while let Some(r) = rows.next()? {
            (read.put)(r, &mut contact.draft)?;
        }
    }
    contact.draft.custom = custom::read_values(conn, id)?;
    Ok(contact)
}

/// Every live contact's draft, in list order. One scan per table, joined in memory, where
/// reading contact by contact would cost ten queries each: an export of 100,000 contacts.
pub fn live_drafts(store: &Store) -> Result<Vec<ContactDraft>> {
    let conn = store.conn();
    let mut drafts: Vec<ContactDraft> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut by_seq: HashMap<i64, usize> = HashMap::new();
    let mut stmt = conn.prepare(&format!("SELECT {DRAFT_COLUMNS}, id, seq FROM contacts WHERE deleted_at IS NULL"))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        by_id.insert(r.get(11)?, drafts.len());
        by_seq.insert(r.get(12)?, drafts.len());
        drafts.push(draft_fields(r, 0)?);
    }
    for read in &CHILD_READS {
        let mut stmt = conn.prepare(&format!("{} ORDER BY {}, {}", read.select, read.owner, read.position))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            // Trashed contacts' rows have no draft here.
            if let Some(&i) = by_id.get(r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?) {
                (read.put)(r, &mut drafts[i])?;
            }
        }
    }
    let order = store.list_order().snapshot(conn)?;
    let mut in_order: Vec<Option<ContactDraft>> = drafts.into_iter().map(Some).collect();
    Ok(order.seqs.iter().filter_map(|seq| by_seq.get(seq).and_then(|&i| in_order[i].take())).collect())
}

/// Moves a contact to the Trash; it keeps everything and can be restored.
pub fn trash_contact(conn: &Connection, id: ContactId) -> Result<()> {
    let changed = atomically(conn, |conn| {
        index_contact(conn, id, false)?;
        Ok(conn.execute(
            "UPDATE contacts SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
            params![id.to_string(), timestamp(Utc::now())],
        )?)
    })?;
    if changed == 0 {
        get_contact(conn, id)?; // not found at all, or already in the Trash (which is fine)
    }
    Ok(())
}

pub fn restore_contact(conn: &Connection, id: ContactId) -> Result<Contact> {
    atomically(conn, |conn| {
        if conn.execute(
            "UPDATE contacts SET deleted_at = NULL WHERE id = ?1 AND deleted_at IS NOT NULL",
            [id.to_string()],
        )? > 0
        {
            index_contact(conn, id, true)?;
        }
        get_contact(conn, id)
    })
}

/// Deletes one contact for good, Trash or not.
pub fn delete_contact(conn: &Connection, id: ContactId) -> Result<()> {
    delete_contacts(conn, &[id])
}

/// Deletes contacts for good, Trash or not, in one go (undoing the import that created
/// them); one that is gone already is no error.
pub fn delete_contacts(conn: &Connection, ids: &[ContactId]) -> Result<()> {
    atomically(conn, |conn| {
        for &id in ids {
            index_contact(conn, id, false)?;
        }
        // One statement: it carries the cascade to every table that points at contacts, which
        // takes longer to compile than to run.
        let ids = serde_json::to_string(ids).expect("ids serialise");
        conn.execute("DELETE FROM contacts WHERE id IN (SELECT value FROM json_each(?1))", [&ids])?;
        Ok(())
    })
}

/// Puts a contact back exactly as `saved` was: fields, child rows, timestamps, Trash state.
/// Values of custom fields deleted since have nowhere to go and are left out.
pub fn put_back_contact(conn: &Connection, saved: &Contact) -> Result<()> {
    atomically(conn, |conn| {
        let fields = custom::list_fields(conn)?;
        let mut draft = saved.draft.clone();
        draft.custom.retain(|key, _| fields.iter().any(|f| &f.key == key));
        update_contact(conn, saved.id, draft)?;
        index_contact(conn, saved.id, false)?;
        conn.execute(
            "UPDATE contacts SET created_at = ?2, updated_at = ?3, deleted_at = ?4 WHERE id = ?1",
            params![
                saved.id.to_string(),
                timestamp(saved.created_at),
                timestamp(saved.updated_at),
                saved.deleted_at.map(timestamp)
            ],
        )?;
        index_contact(conn, saved.id, true)?;
        Ok(())
    })
}

/// Runs `change` (which alters what `contacts` are found by) with them out of the search
/// index, then indexes their new search text.
pub(crate) fn reindex_after(
    conn: &Connection,
    contacts: &[ContactId],
    change: impl FnOnce(&Connection) -> Result<()>,
) -> Result<()> {
    for &id in contacts {
        index_contact(conn, id, false)?;
    }
    change(conn)?;
    let fields = custom::list_fields(conn)?;
    for &id in contacts {
        let text = search_text(&get_contact(conn, id)?.draft, &fields);
        conn.prepare_cached("UPDATE contacts SET search_text = ?2 WHERE id = ?1")?
            .execute(params![id.to_string(), text])?;
        index_contact(conn, id, true)?;
    }
    Ok(())
}

/// Deletes the trashed contacts for good and says how many went (they are no longer indexed).
pub fn empty_trash(conn: &Connection) -> Result<usize> {
    Ok(conn.execute("DELETE FROM contacts WHERE deleted_at IS NOT NULL", [])?)
}

/// The live contacts matching `query` (all of them when it is blank), in list order.
pub fn search_contacts(store: &Store, query: &str, offset: usize, limit: usize) -> Result<SearchPage> {
    match match_expression(query) {
        None => {
            let order = store.list_order().snapshot(store.conn())?;
            let all = &order.seqs;
            let seqs = all[offset.min(all.len())..offset.saturating_add(limit).min(all.len())].to_vec();
            Ok(SearchPage { total: all.len(), rows: rows_of(store.conn(), &seqs)? })
        }
        Some(expr) => page_where(
            store,
            "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?1",
            &[Value::Text(expr)],
            offset,
            limit,
        ),
    }
}

/// One page, in list order, of the live contacts whose `seq`s `sql` selects (with `params`).
/// Ordering goes through the in-memory list order, so a large match costs no SQL sort.
pub fn page_where(store: &Store, sql: &str, params: &[Value], offset: usize, limit: usize) -> Result<SearchPage> {
    let conn = store.conn();
    let order = store.list_order().snapshot(conn)?;
    let ranks: Vec<u32> = conn
        .prepare_cached(sql)?
        .query_map(rusqlite::params_from_iter(params), |r| r.get(0))?
        .filter_map(|seq| seq.map(|seq| order.rank(seq)).transpose())
        .collect::<rusqlite::Result<_>>()?;
    let seqs = order.page(ranks.clone(), offset, limit);
    Ok(SearchPage { total: ranks.len(), rows: rows_of(conn, &seqs)? })
}

fn rows_of(conn: &Connection, seqs: &[i64]) -> Result<Vec<ContactRow>> {
    let mut row = conn.prepare_cached(&format!("{ROW_SELECT} WHERE c.seq = ?1"))?;
    Ok(seqs.iter().map(|seq| row.query_row([seq], contact_row)).collect::<rusqlite::Result<_>>()?)
}

pub fn count_contacts(conn: &Connection) -> Result<usize> {
    let count: i64 = conn.query_row("SELECT count(*) FROM contacts WHERE deleted_at IS NULL", [], |r| r.get(0))?;
    Ok(count as usize)
}

/// The Trash, most recently deleted first.
pub fn list_trash(conn: &Connection) -> Result<Vec<ContactRow>> {
    let sql = format!("{ROW_SELECT} WHERE c.deleted_at IS NOT NULL ORDER BY c.deleted_at DESC");
    Ok(conn.prepare_cached(&sql)?.query_map([], contact_row)?.collect::<rusqlite::Result<_>>()?)
}

const ROW_SELECT: &str = "SELECT c.id, c.display_name, c.company, c.job_title,
    (SELECT value FROM contact_emails WHERE contact_id = c.id AND is_primary),
    (SELECT value FROM contact_phones WHERE contact_id = c.id AND is_primary),
    (SELECT city FROM contact_addresses WHERE contact_id = c.id AND is_primary),
    (SELECT group_concat(t.name, char(31)) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id),
    c.deleted_at
    FROM contacts c";

fn contact_row(r: &Row) -> rusqlite::Result<ContactRow> {
    let id: String = r.get(0)?;
    let tags: Option<String> = r.get(7)?;
    Ok(ContactRow {
        id: parse_id(&id)?,
        display_name: r.get(1)?,
        company: r.get(2)?,
        job_title: r.get(3)?,
        primary_email: r.get(4)?,
        primary_phone: r.get(5)?,
        city: r.get::<_, Option<String>>(6)?.filter(|c| !c.is_empty()),
        tags: tags.map(|t| t.split('\u{1f}').map(str::to_string).collect()).unwrap_or_default(),
        deleted_at: r.get::<_, Option<String>>(8)?.as_deref().map(parse_timestamp).transpose()?,
    })
}
