//! Consent: an email opt-in with its proof (when and where), and do-not-contact flags per
//! channel. A flag blocks the matching action everywhere (merge, outbox, call lists), and the
//! reason says who and why.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::require_contact;
use crate::Result;
use crate::contacts::ContactId;
use crate::store::{parse_timestamp, timestamp};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OptIn {
    pub at: DateTime<Utc>,
    /// Where the consent came from: "signup form on website", "asked at seminar" …
    pub source: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Consent {
    pub email_opt_in: Option<OptIn>,
    pub do_not_mail: bool,
    pub do_not_call: bool,
    pub do_not_email: bool,
    pub do_not_fax: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Mail,
    Call,
    Email,
    Fax,
}

impl Consent {
    /// Why `name` can't be reached on `channel`, if they can't.
    pub fn blocked(&self, channel: Channel, name: &str) -> Option<String> {
        let (flag, word) = match channel {
            Channel::Mail => (self.do_not_mail, "do-not-mail"),
            Channel::Call => (self.do_not_call, "do-not-call"),
            Channel::Email => (self.do_not_email, "do-not-email"),
            Channel::Fax => (self.do_not_fax, "do-not-fax"),
        };
        flag.then(|| format!("{name} is marked {word}"))
    }
}

pub fn get_consent(conn: &Connection, id: ContactId) -> Result<Consent> {
    require_contact(conn, id)?;
    Ok(conn.query_row(
        "SELECT email_opt_in_at, email_opt_in_source, do_not_mail, do_not_call, do_not_email, do_not_fax FROM contacts WHERE id = ?1",
        [id.to_string()],
        |r| {
            let at: Option<String> = r.get(0)?;
            Ok(Consent {
                email_opt_in: at.as_deref().map(parse_timestamp).transpose()?.map(|at| OptIn { at, source: r.get(1).unwrap_or_default() }),
                do_not_mail: r.get(2)?,
                do_not_call: r.get(3)?,
                do_not_email: r.get(4)?,
                do_not_fax: r.get(5)?,
            })
        },
    )?)
}

pub fn set_consent(conn: &Connection, id: ContactId, consent: &Consent) -> Result<()> {
    require_contact(conn, id)?;
    conn.execute(
        "UPDATE contacts SET email_opt_in_at = ?2, email_opt_in_source = ?3, do_not_mail = ?4, do_not_call = ?5,
            do_not_email = ?6, do_not_fax = ?7 WHERE id = ?1",
        params![
            id.to_string(),
            consent.email_opt_in.as_ref().map(|o| timestamp(o.at)),
            consent.email_opt_in.as_ref().map_or("", |o| o.source.as_str()),
            consent.do_not_mail,
            consent.do_not_call,
            consent.do_not_email,
            consent.do_not_fax
        ],
    )?;
    Ok(())
}
