//! A small SMTP server on 127.0.0.1: EHLO/HELO, STARTTLS, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA,
//! RSET, NOOP, QUIT. It keeps every message it takes, can be stopped and started again on the
//! same port, and can misbehave on cue. Every loop is bounded and every read times out. Shared by
//! the core's and the app's tests, each using a subset. TLS comes from the test as a handshake
//! function (see tls.rs), so this file needs no TLS crate and the app's tests share it as it is.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How the server behaves; `nth` counts messages taken since the server was first started.
#[derive(Debug, Clone, Default)]
pub struct Behaviour {
    /// Require this login (and offer AUTH) before MAIL.
    pub login: Option<(String, String)>,
    /// Answer RCPT to these addresses with 550.
    pub reject_rcpt: Vec<String>,
    /// Keep the nth message but never answer it (the sender waits, as if the server died).
    pub swallow_nth: Option<usize>,
    /// Keep the nth message, then close the connection without answering.
    pub hang_up_nth: Option<usize>,
    /// Close a session that says nothing for this long [default: 20 s].
    pub idle_limit: Option<Duration>,
    /// Offer STARTTLS, or speak TLS from the first byte.
    pub tls: Option<TlsMode>,
}

#[derive(Clone)]
pub enum TlsMode {
    /// Plain at first, taking no login or message until STARTTLS upgrades the session, which
    /// then starts over with EHLO (port 587).
    Starttls(Handshake),
    /// TLS from the first byte (port 465).
    Implicit(Handshake),
}

impl std::fmt::Debug for TlsMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TlsMode::Starttls(_) => "Starttls",
            TlsMode::Implicit(_) => "Implicit",
        })
    }
}

/// The server's side of a TLS handshake on a connection: the encrypted stream once the
/// handshake is done, its reads timing out as the connection's did; an error if it failed.
pub type Handshake = Arc<dyn Fn(TcpStream) -> std::io::Result<Box<dyn Wire>> + Send + Sync>;

/// What a session talks over: the TCP connection, or TLS over it.
pub trait Wire: Read + Write + Send {}
impl<T: Read + Write + Send> Wire for T {}

#[derive(Debug, Clone)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    pub data: String,
    /// Whether the message came over TLS (after STARTTLS, or on an implicit-TLS connection).
    pub encrypted: bool,
}

#[derive(Default)]
struct Shared {
    received: Mutex<Vec<Received>>,
    logins: Mutex<Vec<String>>,
}

pub struct SmtpServer {
    port: u16,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

const IDLE_LIMIT: Duration = Duration::from_secs(20);
const TICK: Duration = Duration::from_millis(50);

impl SmtpServer {
    pub fn start(behaviour: Behaviour) -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut server = SmtpServer { port, shared: Arc::default(), stop: Arc::default(), accept: None };
        server.serve(listener, behaviour);
        server
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    pub fn logins(&self) -> Vec<String> {
        self.shared.logins.lock().unwrap().clone()
    }

    /// Stops listening and drops every open connection; the port refuses connections.
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.accept.take() {
            thread.join().unwrap();
        }
    }

    /// Listens again on the same port, keeping what was received.
    pub fn restart(&mut self, behaviour: Behaviour) {
        self.stop();
        let listener = TcpListener::bind(("127.0.0.1", self.port)).unwrap();
        self.stop = Arc::default();
        self.serve(listener, behaviour);
    }

    fn serve(&mut self, listener: TcpListener, behaviour: Behaviour) {
        listener.set_nonblocking(true).unwrap();
        let (shared, stop) = (self.shared.clone(), self.stop.clone());
        self.accept = Some(std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let session = Session::new(stream, shared.clone(), stop.clone(), behaviour.clone());
                        std::thread::spawn(move || session.run());
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(5)),
                    Err(e) => panic!("accept: {e}"),
                }
            }
        }));
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

struct Session {
    /// The connection, kept to start TLS over it.
    socket: TcpStream,
    stream: BufReader<Box<dyn Wire>>,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    behaviour: Behaviour,
    encrypted: bool,
    greeted: bool,
    logged_in: bool,
    mail_from: Option<String>,
    rcpt_to: Vec<String>,
}

impl Session {
    fn new(stream: TcpStream, shared: Arc<Shared>, stop: Arc<AtomicBool>, behaviour: Behaviour) -> Session {
        stream.set_nonblocking(false).unwrap();
        stream.set_read_timeout(Some(TICK)).unwrap();
        let socket = stream.try_clone().unwrap();
        let logged_in = behaviour.login.is_none();
        Session {
            socket,
            stream: BufReader::new(Box::new(stream)),
            shared,
            stop,
            behaviour,
            encrypted: false,
            greeted: false,
            logged_in,
            mail_from: None,
            rcpt_to: Vec::new(),
        }
    }

    fn run(mut self) {
        if let Some(TlsMode::Implicit(handshake)) = self.behaviour.tls.clone()
            && !self.secure(&handshake)
        {
            return;
        }
        self.reply("220 test.local ESMTP ready");
        for _ in 0..100_000 {
            let Some(line) = self.read_line() else { return };
            let (verb, rest) = line.split_once(' ').unwrap_or((line.as_str(), ""));
            match verb.to_ascii_uppercase().as_str() {
                "EHLO" => {
                    self.greeted = true;
                    let starttls = if self.awaits_tls() { "250-STARTTLS\r\n" } else { "" };
                    let offers_auth = self.behaviour.login.is_some() && !self.awaits_tls();
                    let auth = if offers_auth { "250-AUTH PLAIN LOGIN\r\n" } else { "" };
                    self.reply(&format!("250-test.local\r\n{starttls}{auth}250-8BITMIME\r\n250 SIZE 10000000"));
                }
                "HELO" => {
                    self.greeted = true;
                    self.reply("250 test.local");
                }
                "STARTTLS" => match self.behaviour.tls.clone() {
                    Some(TlsMode::Starttls(handshake)) if !self.encrypted => {
                        self.reply("220 2.0.0 Ready to start TLS");
                        if !self.secure(&handshake) {
                            return;
                        }
                    }
                    _ => self.reply("502 5.5.1 STARTTLS not offered here"),
                },
                "AUTH" | "MAIL" if self.awaits_tls() => self.reply("530 5.7.0 Must issue a STARTTLS command first"),
                "AUTH" => self.auth(rest),
                "MAIL" if !self.greeted => self.reply("503 5.5.1 EHLO first"),
                "MAIL" if !self.logged_in => self.reply("530 5.7.0 Authentication required"),
                "MAIL" => {
                    self.mail_from = Some(angle(rest));
                    self.rcpt_to.clear();
                    self.reply("250 2.1.0 OK");
                }
                "RCPT" if self.mail_from.is_none() => self.reply("503 5.5.1 MAIL first"),
                "RCPT" => {
                    let to = angle(rest);
                    if self.behaviour.reject_rcpt.contains(&to) {
                        self.reply("550 5.1.1 no such user here");
                    } else {
                        self.rcpt_to.push(to);
                        self.reply("250 2.1.5 OK");
                    }
                }
                "DATA" if self.rcpt_to.is_empty() => self.reply("503 5.5.1 RCPT first"),
                "DATA" => {
                    if !self.data() {
                        return;
                    }
                }
                "RSET" => {
                    self.mail_from = None;
                    self.rcpt_to.clear();
                    self.reply("250 2.0.0 OK");
                }
                "NOOP" => self.reply("250 2.0.0 OK"),
                "QUIT" => return self.reply("221 2.0.0 bye"),
                _ => self.reply("500 5.5.2 what?"),
            }
        }
    }

    /// Takes one message; false when the session must end (hang-up or swallow on cue).
    fn data(&mut self) -> bool {
        self.reply("354 end with <CRLF>.<CRLF>");
        let mut data = String::new();
        loop {
            let Some(line) = self.read_line() else { return false };
            if line == "." {
                break;
            }
            // Undo the sender's dot-stuffing.
            data.push_str(line.strip_prefix('.').filter(|_| line.starts_with("..")).unwrap_or(&line));
            data.push_str("\r\n");
            assert!(data.len() < 50_000_000, "runaway message");
        }
        let message = Received {
            mail_from: self.mail_from.take().unwrap_or_default(),
            rcpt_to: std::mem::take(&mut self.rcpt_to),
            data,
            encrypted: self.encrypted,
        };
        let nth = {
            let mut received = self.shared.received.lock().unwrap();
            received.push(message);
            received.len()
        };
        if self.behaviour.hang_up_nth == Some(nth) {
            return false;
        }
        if self.behaviour.swallow_nth == Some(nth) {
            // Hold the connection without a word until the sender gives up or dies.
            while self.read_line().is_some() {}
            return false;
        }
        self.reply(&format!("250 2.0.0 queued as {nth}"));
        true
    }

    fn auth(&mut self, rest: &str) {
        let (mechanism, initial) = rest.split_once(' ').unwrap_or((rest, ""));
        let credentials = match mechanism.to_ascii_uppercase().as_str() {
            "PLAIN" => {
                let decoded = base64(initial);
                let mut parts = decoded.split(|b| *b == 0).skip(1).map(|p| String::from_utf8_lossy(p).into_owned());
                (parts.next().unwrap_or_default(), parts.next().unwrap_or_default())
            }
            "LOGIN" => {
                self.reply("334 VXNlcm5hbWU6");
                let user = self.read_line().map(|l| base64(&l)).unwrap_or_default();
                self.reply("334 UGFzc3dvcmQ6");
                let password = self.read_line().map(|l| base64(&l)).unwrap_or_default();
                (String::from_utf8_lossy(&user).into_owned(), String::from_utf8_lossy(&password).into_owned())
            }
            _ => return self.reply("504 5.5.4 unknown mechanism"),
        };
        if self.behaviour.login.as_ref() == Some(&credentials) {
            self.logged_in = true;
            self.shared.logins.lock().unwrap().push(credentials.0);
            self.reply("235 2.7.0 Authentication successful");
        } else {
            self.reply("535 5.7.8 Authentication credentials invalid");
        }
    }

    /// Whether the server offers STARTTLS and it has not happened yet: until then, as a real
    /// submission server, it takes neither a login nor a message.
    fn awaits_tls(&self) -> bool {
        matches!(self.behaviour.tls, Some(TlsMode::Starttls(_))) && !self.encrypted
    }

    /// Continues over TLS as a new session (RFC 3207: the client says EHLO again, and what was
    /// said in plain text, or sent ahead of the handshake, counts for nothing); false if the
    /// handshake failed.
    fn secure(&mut self, handshake: &Handshake) -> bool {
        let Ok(wire) = self.socket.try_clone().and_then(|socket| handshake(socket)) else { return false };
        self.stream = BufReader::new(wire);
        self.encrypted = true;
        self.greeted = false;
        self.logged_in = self.behaviour.login.is_none();
        self.mail_from = None;
        self.rcpt_to.clear();
        true
    }

    fn reply(&mut self, text: &str) {
        let wire = self.stream.get_mut();
        let _ = wire.write_all(format!("{text}\r\n").as_bytes()).and_then(|()| wire.flush());
    }

    /// The next line without its CRLF; `None` at end of input, when stopped, or after a long
    /// silence.
    fn read_line(&mut self) -> Option<String> {
        let mut line = String::new();
        let started = Instant::now();
        loop {
            match self.stream.read_line(&mut line) {
                Ok(0) => return None,
                Ok(_) if line.ends_with('\n') => return Some(line.trim_end_matches(['\r', '\n']).to_string()),
                Ok(_) => {}
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(_) => return None,
            }
            if self.stop.load(Ordering::SeqCst) || started.elapsed() > self.behaviour.idle_limit.unwrap_or(IDLE_LIMIT) {
                return None;
            }
        }
    }
}

fn angle(text: &str) -> String {
    let start = text.find('<').map_or(0, |i| i + 1);
    let end = text[start..].find('>').map_or(text.len(), |i| start + i);
    text[start..end].to_string()
}

impl Received {
    /// The header block, unfolded: (name, value) in order.
    pub fn headers(&self) -> Vec<(String, String)> {
        headers_of(self.data.split("\r\n\r\n").next().unwrap_or_default())
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers().into_iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v)
    }

    pub fn message_id(&self) -> String {
        self.header("Message-ID").unwrap_or_default()
    }

    /// The decoded body of the first part of this content type, as text.
    pub fn part(&self, content_type: &str) -> String {
        let part = self
            .parts()
            .into_iter()
            .find(|(h, _)| header_in(h, "Content-Type").is_some_and(|v| v.starts_with(content_type)));
        let (headers, body) = part.unwrap_or_else(|| panic!("no {content_type} part in:\n{}", self.data));
        String::from_utf8(decode(&headers, &body)).unwrap()
    }

    /// The decoded bytes of the attachment with this file name.
    pub fn attachment(&self, file_name: &str) -> Vec<u8> {
        let wanted = format!("filename=\"{file_name}\"");
        let part = self
            .parts()
            .into_iter()
            .find(|(h, _)| header_in(h, "Content-Disposition").is_some_and(|v| v.contains(&wanted)));
        let (headers, body) = part.unwrap_or_else(|| panic!("no attachment {file_name}"));
        decode(&headers, &body)
    }

    /// Every leaf part: its headers and its raw body.
    fn parts(&self) -> Vec<(Vec<(String, String)>, String)> {
        let boundaries: Vec<String> = self
            .data
            .split("boundary=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .map(str::to_string)
            .collect();
        let mut chunks = vec![self.data.clone()];
        for boundary in &boundaries {
            let marker = format!("\r\n--{boundary}");
            chunks =
                chunks.iter().flat_map(|c| c.split(marker.as_str()).map(str::to_string).collect::<Vec<_>>()).collect();
        }
        chunks
            .iter()
            .filter_map(|chunk| {
                let chunk = chunk.trim_start_matches("--").trim_start_matches("\r\n");
                let (head, body) = chunk.split_once("\r\n\r\n")?;
                let headers = headers_of(head);
                let leaf = header_in(&headers, "Content-Type").is_some_and(|v| !v.starts_with("multipart/"));
                leaf.then(|| (headers, body.to_string()))
            })
            .collect()
    }
}

fn headers_of(block: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in block.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            out.push((name.to_string(), value.trim().to_string()));
        }
    }
    out
}

fn header_in(headers: &[(String, String)], name: &str) -> Option<String> {
    headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
}

fn decode(headers: &[(String, String)], body: &str) -> Vec<u8> {
    match header_in(headers, "Content-Transfer-Encoding").unwrap_or_default().to_ascii_lowercase().as_str() {
        "base64" => base64(body),
        "quoted-printable" => quoted_printable(body),
        _ => body.as_bytes().to_vec(),
    }
}

fn quoted_printable(text: &str) -> Vec<u8> {
    let joined = text.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let (mut out, mut i) = (Vec::new(), 0);
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(byte) = u8::from_str_radix(hex, 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Standard base64, ignoring line breaks (for AUTH and attachments).
fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let values: Vec<u32> =
        text.bytes().filter_map(|b| ALPHABET.iter().position(|&a| a == b)).map(|v| v as u32).collect();
    let mut out = Vec::with_capacity(values.len() * 3 / 4);
    for chunk in values.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, v)| n | v << (18 - 6 * i));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}
