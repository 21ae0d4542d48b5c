//! The email settings the user enters once: the SMTP server, who mail comes from, how fast it
//! may go, the consent rule and the fax gateway. They live in the file's settings table like
//! every other setting; the password does not (see `password`), so this struct has no field
//! for it and cannot leak it into the file or a log.

use lettre::Address;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::settings::{get_setting, set_setting};
use crate::{Error, FieldError, Result};

/// The settings key the email settings are saved under.
pub const MAIL: &str = "mail";

/// Where a fax number goes in the gateway's address pattern.
pub const FAX_DIGITS: &str = "{fax_digits}";

/// How the connection to the server is secured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS, usually port 587.
    #[default]
    Starttls,
    /// TLS from the first byte, usually port 465.
    Tls,
    /// No encryption: only for a relay on this machine or the local network.
    None,
}

impl Security {
    pub fn default_port(self) -> u16 {
        match self {
            Security::Starttls => 587,
            Security::Tls => 465,
            Security::None => 25,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MailSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// The login; blank for a relay that needs none.
    pub user: String,
    pub from_name: String,
    pub from_address: String,
    /// The throttle: at most this many messages a minute, so a provider does not flag the
    /// mailbox as a spammer.
    pub per_minute: u32,
    /// Send email only to contacts who opted in (`workflow::consent`).
    pub require_opt_in: bool,
    /// Where unsubscribe requests go (the List-Unsubscribe mailto); blank means the From address.
    pub unsubscribe_address: String,
    /// The email-to-fax gateway, e.g. `{fax_digits}@fax.example.com`; blank when there is none.
    pub fax_gateway: String,
    /// How long to wait for the server before giving up on this try.
    pub timeout_seconds: u64,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            host: String::new(),
            port: Security::default().default_port(),
            security: Security::default(),
            user: String::new(),
            from_name: String::new(),
            from_address: String::new(),
            // Conservative: well under what consumer mailboxes allow, and 600 an hour is plenty
            // for one person's prospect mail.
            per_minute: 10,
            require_opt_in: false,
            unsubscribe_address: String::new(),
            fax_gateway: String::new(),
            timeout_seconds: 30,
        }
    }
}

impl MailSettings {
    /// The name the password is kept under: `user@host`.
    pub fn account(&self) -> String {
        format!("{}@{}", self.user, self.host)
    }

    pub fn is_configured(&self) -> bool {
        !self.host.trim().is_empty() && !self.from_address.trim().is_empty()
    }

    pub fn unsubscribe_to(&self) -> &str {
        if self.unsubscribe_address.trim().is_empty() { &self.from_address } else { &self.unsubscribe_address }
    }

    /// The gateway address for a fax number (`+1 (555) 010-9999` → `15550109999@fax.example`),
    /// or `None` when there is no gateway or the number has no digits.
    pub fn fax_address(&self, number: &str) -> Option<String> {
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        (!self.fax_gateway.is_empty() && !digits.is_empty()).then(|| self.fax_gateway.replace(FAX_DIGITS, &digits))
    }

    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.host.trim().is_empty() {
            errors.push(FieldError::new("host", "Enter the mail server's name, e.g. smtp.example.com."));
        }
        if self.port == 0 {
            errors.push(FieldError::new("port", "Enter the server's port: 587 for STARTTLS, 465 for TLS."));
        }
        for (field, address) in [("fromAddress", &self.from_address), ("unsubscribeAddress", &self.unsubscribe_address)]
        {
            let required = field == "fromAddress";
            if (required || !address.is_empty()) && address.parse::<Address>().is_err() {
                errors.push(FieldError::new(field, format!("“{address}” is not an email address.")));
            }
        }
        if self.per_minute == 0 {
            errors.push(FieldError::new("perMinute", "Allow at least one message a minute."));
        }
        let gateway_ok = self.fax_gateway.is_empty()
            || (self.fax_gateway.contains(FAX_DIGITS)
                && self.fax_address("1").is_some_and(|a| a.parse::<Address>().is_ok()));
        if !gateway_ok {
            errors.push(FieldError::new(
                "faxGateway",
                format!("The fax gateway must be an address with {FAX_DIGITS} where the number goes, e.g. {FAX_DIGITS}@fax.example.com."),
            ));
        }
        errors
    }
}

/// The saved settings, or the defaults (not configured) if none were saved.
pub fn get_mail_settings(conn: &Connection) -> Result<MailSettings> {
    Ok(get_setting(conn, MAIL)?.unwrap_or_default())
}

/// Checks and saves the settings.
pub fn set_mail_settings(conn: &Connection, settings: &MailSettings) -> Result<()> {
    let errors = settings.check();
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    set_setting(conn, MAIL, settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> MailSettings {
        MailSettings { host: "smtp.example.com".into(), from_address: "ann@example.com".into(), ..Default::default() }
    }

    #[test]
    fn fax_numbers_become_gateway_addresses() {
        let settings = MailSettings { fax_gateway: "{fax_digits}@fax.example.com".into(), ..valid() };
        assert_eq!(settings.fax_address("+1 (555) 010-9999").as_deref(), Some("15550109999@fax.example.com"));
        assert_eq!(settings.fax_address("n/a"), None);
        assert_eq!(valid().fax_address("555"), None, "no gateway, no fax");
    }

    #[test]
    fn bad_settings_name_each_field() {
        let settings = MailSettings {
            host: " ".into(),
            from_address: "ann".into(),
            per_minute: 0,
            fax_gateway: "fax@x.example".into(),
            ..valid()
        };
        let fields: Vec<String> = settings.check().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["host", "fromAddress", "perMinute", "faxGateway"]);
        assert!(valid().check().is_empty());
    }

    #[test]
    fn unsubscribe_goes_to_the_sender_unless_set() {
        assert_eq!(valid().unsubscribe_to(), "ann@example.com");
        let settings = MailSettings { unsubscribe_address: "optout@example.com".into(), ..valid() };
        assert_eq!(settings.unsubscribe_to(), "optout@example.com");
    }
}
