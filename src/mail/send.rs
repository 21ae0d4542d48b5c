//! The SMTP side: the message as it goes on the wire (lettre's builder), and a session with
//! the user's server (lettre's `SmtpConnection`). `Connect` and `Transport` are all the outbox
//! knows of SMTP.
//!
//! Why `SmtpConnection` and not lettre's `SmtpTransport`: the transport's `send` runs MAIL,
//! RCPT, DATA and the content as one call, so a broken connection can't be placed before or
//! after the content went out. Here they are two steps, `begin` and `finish`, and the outbox
//! marks the message `sending` between them: a failure in `begin` is always safe to retry, and
//! only one in `finish` can leave a message "maybe delivered".

use std::net::{SocketAddr, ToSocketAddrs};
use std::time::{Duration, SystemTime};

use lettre::Address;
use lettre::address::Envelope;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailParameter};

use super::MailError;
use super::outbox::{Attachment, Outgoing};
use super::password::{Password, PasswordStore};
use super::settings::{MailSettings, Security};
use crate::Result;

/// Opens sessions with a mail server.
pub trait Connect {
    fn connect(&self) -> Result<Box<dyn Transport>, MailError>;
}

/// One open session with a mail server, handing over one message at a time.
pub trait Transport {
    /// Whether the session still answers (NOOP): servers close sessions left idle, as a slow
    /// throttle does between messages.
    fn is_alive(&mut self) -> bool;
    /// Announces a message: MAIL FROM, RCPT TO, DATA. Nothing of the content has gone out yet.
    fn begin(&mut self, envelope: &Envelope) -> Result<(), Failure>;
    /// Sends the content and waits for the server's answer: `Ok` only on its "250 OK".
    fn finish(&mut self, message: &[u8]) -> Result<(), Failure>;
    /// Says goodbye (QUIT) and closes the connection.
    fn close(self: Box<Self>);
}

/// Why the server did not take a message, with its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// A 4xx answer: not now, try later.
    Deferred(String),
    /// A 5xx answer: not this message, as it is.
    Rejected(String),
    /// No answer: the connection broke or timed out.
    Broken(String),
}

/// The user's SMTP server, with the password loaded once for the whole run.
pub struct SmtpConnector {
    settings: MailSettings,
    password: Option<Password>,
}

impl SmtpConnector {
    /// Fails when the server is not set up, or it needs a login and no password is saved.
    pub fn new(settings: MailSettings, passwords: &PasswordStore) -> Result<SmtpConnector> {
        if !settings.is_configured() {
            return Err(MailError::NotConfigured.into());
        }
        let password = if settings.user.is_empty() {
            None
        } else {
            let account = settings.account();
            Some(passwords.load(&account)?.ok_or(MailError::NoPassword { account })?.0)
        };
        Ok(SmtpConnector { settings, password })
    }
}

impl Connect for SmtpConnector {
    fn connect(&self) -> Result<Box<dyn Transport>, MailError> {
        Ok(Box::new(SmtpSession::open(&self.settings, self.password.as_ref())?))
    }
}

/// "Send test email": connects, logs in and sends a short message to `to` right away, outside
/// the outbox, so a wrong setting shows up as a clear error while the user is looking.
pub fn send_test_email(connector: &SmtpConnector, to: &str) -> Result<()> {
    let settings = &connector.settings;
    let test = Outgoing {
        kind: super::outbox::MessageKind::Email,
        contact_id: None,
        from_name: settings.from_name.clone(),
        from_address: settings.from_address.clone(),
        to_name: String::new(),
        to_address: to.trim().to_string(),
        subject: "Rolodeck test email".into(),
        body_text: "This is a test from Rolodeck: your email settings work.".into(),
        body_html: None,
        list_unsubscribe: None,
        message_id: message_id(&settings.from_address),
    };
    let not_accepted = |reply: String| MailError::NotAccepted { to: test.to_address.clone(), reply };
    let envelope = envelope(&test).map_err(not_accepted)?;
    let bytes = mime(&test, None, SystemTime::now()).map_err(not_accepted)?;
    let mut session = connector.connect()?;
    let result = session.begin(&envelope).and_then(|()| session.finish(&bytes));
    session.close();
    result.map_err(|failure| match failure {
        Failure::Deferred(reply) | Failure::Rejected(reply) | Failure::Broken(reply) => not_accepted(reply).into(),
    })
}

/// A fresh, unique Message-ID in the sender's domain: `<uuid@example.com>`.
pub fn message_id(from_address: &str) -> String {
    let domain = from_address.rsplit_once('@').map_or("rolodeck.invalid", |(_, d)| d);
    format!("<{}@{domain}>", uuid::Uuid::now_v7())
}

/// Who the server is told the message is from and to: exactly the stored recipient, never an
/// address taken from the headers.
pub fn envelope(m: &Outgoing) -> Result<Envelope, String> {
    Envelope::new(Some(address(&m.from_address)?), vec![address(&m.to_address)?]).map_err(|e| e.to_string())
}

fn address(text: &str) -> Result<Address, String> {
    text.parse().map_err(|e| format!("“{text}” is not a valid email address ({e})"))
}

fn mailbox(name: &str, address_text: &str) -> Result<Mailbox, String> {
    let name = (!name.is_empty()).then(|| name.to_string());
    Ok(Mailbox::new(name, address(address_text)?))
}

/// The message as it goes on the wire (RFC 5322, 7-bit), dated `date`.
pub fn mime(m: &Outgoing, attachment: Option<&Attachment>, date: SystemTime) -> Result<Vec<u8>, String> {
    let mut builder = lettre::Message::builder()
        .from(mailbox(&m.from_name, &m.from_address)?)
        .to(mailbox(&m.to_name, &m.to_address)?)
        .subject(m.subject.clone())
        .message_id(Some(m.message_id.clone()))
        .date(date);
    if let Some(unsubscribe) = &m.list_unsubscribe {
        builder = builder
            .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), unsubscribe.clone()));
    }
    let text = match &m.body_html {
        Some(html) => Content::Multi(MultiPart::alternative_plain_html(m.body_text.clone(), html.clone())),
        None => Content::Single(SinglePart::plain(m.body_text.clone())),
    };
    let message = match attachment {
        None => match text {
            Content::Multi(part) => builder.multipart(part),
            Content::Single(part) => builder.singlepart(part),
        },
        Some(a) => {
            let content_type = ContentType::parse(&a.content_type)
                .map_err(|e| format!("bad attachment type “{}”: {e}", a.content_type))?;
            let file = lettre::message::Attachment::new(a.file_name.clone()).body(a.bytes.clone(), content_type);
            let mixed = match text {
                Content::Multi(part) => MultiPart::mixed().multipart(part),
                Content::Single(part) => MultiPart::mixed().singlepart(part),
            };
            builder.multipart(mixed.singlepart(file))
        }
    };
    Ok(message.map_err(|e| e.to_string())?.formatted())
}

enum Content {
    Single(SinglePart),
    Multi(MultiPart),
}

struct SmtpSession {
    conn: SmtpConnection,
    host: String,
}

impl SmtpSession {
    /// Connects, secures and logs in; each step's failure gets its own explanation.
    fn open(settings: &MailSettings, password: Option<&Password>) -> Result<SmtpSession, MailError> {
        let host = settings.host.trim().to_string();
        let timeout = Duration::from_secs(settings.timeout_seconds.max(1));
        let addresses = resolve(&host, settings.port)?;
        let tls = TlsParameters::new(host.clone())
            .map_err(|e| MailError::Tls { host: host.clone(), detail: e.to_string() })?;
        let hello = ClientId::default();
        let wrapper = (settings.security == Security::Tls).then_some(&tls);
        let mut conn = SmtpConnection::connect(&addresses[..], Some(timeout), &hello, wrapper, None)
            .map_err(|e| connect_error(&e, settings, timeout))?;
        if settings.security == Security::Starttls {
            conn.starttls(&tls, &hello).map_err(|e| tls_error(host.clone(), e.to_string()))?;
        }
        if let Some(password) = password {
            let credentials = Credentials::new(settings.user.clone(), password.expose().to_string());
            if let Err(e) = conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials) {
                // Such a server offers no login in plain text, so lettre finds no mechanism: the
                // password is not what is wrong.
                let needs_starttls =
                    settings.security == Security::None && conn.server_info().supports_feature(Extension::StartTls);
                return Err(if needs_starttls {
                    MailError::NeedsStarttls { host }
                } else {
                    MailError::Login { host, user: settings.user.clone(), detail: e.to_string() }
                });
            }
        }
        Ok(SmtpSession { conn, host })
    }

    fn failure(&self, err: &lettre::transport::smtp::Error) -> Failure {
        let text = format!("{}: {err}", self.host);
        if err.is_transient() {
            Failure::Deferred(text)
        } else if err.is_permanent() {
            Failure::Rejected(text)
        } else {
            Failure::Broken(text)
        }
    }
}

impl Transport for SmtpSession {
    fn is_alive(&mut self) -> bool {
        self.conn.test_connected()
    }

    fn begin(&mut self, envelope: &Envelope) -> Result<(), Failure> {
        let mut parameters = Vec::new();
        // lettre writes the content as 7-bit, so only the addresses can need more than ASCII.
        if envelope.to().iter().chain(envelope.from()).any(|a| !AsRef::<str>::as_ref(a).is_ascii()) {
            if !self.conn.server_info().supports_feature(Extension::SmtpUtfEight) {
                return Err(Failure::Rejected(format!(
                    "{} can't take email addresses with non-ASCII characters",
                    self.host
                )));
            }
            parameters.push(MailParameter::SmtpUtfEight);
        }
        self.conn.command(Mail::new(envelope.from().cloned(), parameters)).map_err(|e| self.failure(&e))?;
        for to in envelope.to() {
            self.conn.command(Rcpt::new(to.clone(), vec![])).map_err(|e| self.failure(&e))?;
        }
        self.conn.command(Data).map(drop).map_err(|e| self.failure(&e))
    }

    fn finish(&mut self, message: &[u8]) -> Result<(), Failure> {
        self.conn.message(message).map(drop).map_err(|e| self.failure(&e))
    }

    fn close(mut self: Box<Self>) {
        // Best effort: the server drops the session on its own if QUIT does not arrive.
        if self.conn.quit().is_err() {
            self.conn.abort();
        }
    }
}

/// Looks the server up before connecting, so a DNS failure is told apart from the rest.
fn resolve(host: &str, port: u16) -> Result<Vec<SocketAddr>, MailError> {
    let dns = || MailError::Dns { host: host.to_string() };
    let addresses: Vec<SocketAddr> = (host, port).to_socket_addrs().map_err(|_| dns())?.collect();
    if addresses.is_empty() { Err(dns()) } else { Ok(addresses) }
}

/// Explains a failure to connect (TCP, the TLS handshake on port 465, or the greeting).
fn connect_error(err: &lettre::transport::smtp::Error, settings: &MailSettings, timeout: Duration) -> MailError {
    let (host, port) = (settings.host.trim().to_string(), settings.port);
    let detail = err.to_string();
    match io_kind(err) {
        Some(std::io::ErrorKind::ConnectionRefused) => MailError::Refused { host, port },
        Some(std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock) => {
            MailError::Timeout { host, port, seconds: timeout.as_secs() }
        }
        Some(
            std::io::ErrorKind::NetworkUnreachable
            | std::io::ErrorKind::HostUnreachable
            | std::io::ErrorKind::NetworkDown,
        ) => MailError::Offline { host, detail },
        // A server that does not speak TLS answers the handshake with plain text.
        _ if err.is_tls() || settings.security == Security::Tls => tls_error(host, detail),
        _ => MailError::Connect { host, port, detail },
    }
}

/// A failed TLS handshake, telling a certificate the computer does not trust (which needs other
/// advice) from the rest. lettre hands rustls's error on only as text, and rustls words every
/// certificate rejection this way.
fn tls_error(host: String, detail: String) -> MailError {
    if detail.contains("invalid peer certificate") {
        MailError::Certificate { host, detail }
    } else {
        MailError::Tls { host, detail }
    }
}

fn io_kind(err: &lettre::transport::smtp::Error) -> Option<std::io::ErrorKind> {
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = cause.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::outbox::MessageKind;

    fn outgoing() -> Outgoing {
        Outgoing {
            kind: MessageKind::Email,
            contact_id: None,
            from_name: "Bo Berg".into(),
            from_address: "bo@berg.example".into(),
            to_name: "Ann Lee".into(),
            to_address: "ann@lee.example".into(),
            subject: "Hello Ann".into(),
            body_text: "Dear Ann,\n\nHi.".into(),
            body_html: Some("<p>Dear Ann,</p>".into()),
            list_unsubscribe: Some("<mailto:bo@berg.example?subject=unsubscribe>".into()),
            message_id: "<m1@berg.example>".into(),
        }
    }

    #[test]
    fn the_wire_format_carries_the_stored_headers_and_parts() {
        let pdf = Attachment {
            file_name: "offer.pdf".into(),
            content_type: "application/pdf".into(),
            bytes: b"%PDF-1.7".to_vec(),
        };
        let text = String::from_utf8(mime(&outgoing(), Some(&pdf), SystemTime::now()).unwrap()).unwrap();
        for expected in [
            "Message-ID: <m1@berg.example>",
            "List-Unsubscribe: <mailto:bo@berg.example?subject=unsubscribe>",
            "Subject: Hello Ann",
            "multipart/mixed",
            "multipart/alternative",
            "filename=\"offer.pdf\"",
        ] {
            assert!(text.contains(expected), "{expected} missing in:\n{text}");
        }
    }

    #[test]
    fn message_ids_are_unique_and_in_the_senders_domain() {
        let (a, b) = (message_id("bo@berg.example"), message_id("bo@berg.example"));
        assert_ne!(a, b);
        assert!(a.starts_with('<') && a.ends_with("@berg.example>"), "{a}");
    }

    #[test]
    fn a_bad_stored_address_is_a_reason_not_a_panic() {
        let bad = Outgoing { to_address: "not an address".into(), ..outgoing() };
        assert!(envelope(&bad).unwrap_err().contains("not an address"));
    }
}
