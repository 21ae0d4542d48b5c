//! What can go wrong between Rolodeck and the mail server, in words that say what to do next.
//! Connection-level problems (DNS, refused, TLS, login, offline) stop a run and leave the queue
//! as it is; a problem with one message is recorded on that message instead (see `outbox`).

/// A problem with the mail server or its settings, not with one message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    #[error("no mail server is set up yet: enter it in Settings ▸ Email (or `rolodeck outbox setup --host …`)")]
    NotConfigured,

    #[error(
        "could not find the mail server {host} (the DNS lookup failed): check the server name in \
         Settings ▸ Email, and that you are online"
    )]
    Dns { host: String },

    #[error(
        "{host} refused the connection on port {port}: check the port and security in Settings ▸ Email \
         (587 with STARTTLS, 465 with TLS)"
    )]
    Refused { host: String, port: u16 },

    #[error(
        "{host} did not answer on port {port} within {seconds} s: you may be offline, or a firewall \
         blocks the port; queued messages wait and go later"
    )]
    Timeout { host: String, port: u16, seconds: u64 },

    #[error("could not reach {host} ({detail}): you appear to be offline; queued messages wait and go later")]
    Offline { host: String, detail: String },

    #[error("could not talk to {host} on port {port}: {detail}")]
    Connect { host: String, port: u16, detail: String },

    #[error(
        "could not set up a secure connection with {host} ({detail}): check the security setting in \
         Settings ▸ Email (port 465 uses TLS, port 587 STARTTLS)"
    )]
    Tls { host: String, detail: String },

    /// The security setting is right here: telling the user to change it would lead them to
    /// turn encryption off.
    #[error(
        "{host} showed a certificate this computer does not trust ({detail}): check that the server name \
         in Settings ▸ Email is the one your provider gives, or, for a server with a certificate of its \
         own, add that certificate to this computer's trusted ones; nothing was sent"
    )]
    Certificate { host: String, detail: String },

    #[error(
        "{host} refused the login for {user}: check the user name and password in Settings ▸ Email \
         (some providers need an app password) — {detail}"
    )]
    Login { host: String, user: String, detail: String },

    #[error(
        "{host} takes a login only over an encrypted connection: set the security to STARTTLS in \
         Settings ▸ Email (port 587)"
    )]
    NeedsStarttls { host: String },

    #[error("no password is saved for {account}: enter it in Settings ▸ Email (or `rolodeck outbox password`)")]
    NoPassword { account: String },

    #[error(
        "the system keyring {detail}: unlock it and try again, or set ROLODECK_PASSWORD_STORE=file to keep the password in a file only you can read"
    )]
    Keyring { detail: String },

    #[error(
        "another Rolodeck is sending this outbox right now (the app, or another `rolodeck outbox run`); \
         it will send these messages too"
    )]
    Busy,

    #[error("the test message to {to} was not taken: {reply}")]
    NotAccepted { to: String, reply: String },
}

/// As its message, like the crate's `Error` (the app shows it as written).
impl serde::Serialize for MailError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl MailError {
    /// A stable word for the UI: `mail_settings` (fix them), `offline` (wait), `busy`, `keyring`
    /// or `not_accepted`.
    pub fn kind(&self) -> &'static str {
        match self {
            MailError::NotConfigured
            | MailError::Dns { .. }
            | MailError::Refused { .. }
            | MailError::Tls { .. }
            | MailError::Certificate { .. }
            | MailError::Login { .. }
            | MailError::NeedsStarttls { .. }
            | MailError::NoPassword { .. } => "mail_settings",
            MailError::Timeout { .. } | MailError::Offline { .. } | MailError::Connect { .. } => "offline",
            MailError::Busy => "busy",
            MailError::Keyring { .. } => "keyring",
            MailError::NotAccepted { .. } => "not_accepted",
        }
    }
}
