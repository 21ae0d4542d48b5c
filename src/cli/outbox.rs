//! `rolodeck outbox`: send what is due, look at the queue, retry or drop messages, and set up
//! the mail server (its password goes to the keyring or a private file, never the database),
//! test it, and keep the suppression list.

use std::io::BufRead;

use chrono::{Local, Utc};
use clap::Subcommand;
use rolodeck::mail::outbox::{
    OutboxEntry, State, drop_messages, list_outbox, outbox_counts, retry_message, retry_waiting,
};
use rolodeck::mail::password::{Password, PasswordStore};
use rolodeck::mail::run::{Outcome, RunEvent, RunOptions, run_outbox};
use rolodeck::mail::send::{SmtpConnector, send_test_email};
use rolodeck::mail::settings::{MailSettings, Security, get_mail_settings, set_mail_settings};
use rolodeck::mail::suppress::{SuppressionReason, list_suppressions, suppress_address};
use rolodeck::{Error, FieldError, Result, Store};
use uuid::Uuid;

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Send every message that is due, throttled; messages that can't go now wait
    Run {
        /// Also try the messages waiting for a later retry, now
        #[arg(long)]
        now: bool,
        /// Override the throttle for this run (messages a minute)
        #[arg(long)]
        per_minute: Option<u32>,
    },
    /// List the outbox (or only the messages in one state)
    List {
        #[arg(long, value_enum)]
        state: Option<State>,
        #[arg(long)]
        json: bool,
    },
    /// Put failed, uncertain or waiting messages back in the queue, due now
    Retry {
        /// The messages; an uncertain one may then arrive twice
        #[arg(required_unless_present = "all")]
        ids: Vec<Uuid>,
        /// Every failed and waiting message (uncertain ones need their id)
        #[arg(long, conflicts_with = "ids")]
        all: bool,
    },
    /// Drop messages that have not gone out; they are never sent
    Drop {
        #[arg(required = true)]
        ids: Vec<Uuid>,
    },
    /// Set the mail server and sending rules (only the options given change)
    Setup(SetupArgs),
    /// Save the password for the server's user, read from standard input (one line); it goes to
    /// the system keyring, or to a file only you can read when there is no keyring
    Password {
        /// Remove the saved password instead
        #[arg(long)]
        forget: bool,
    },
    /// Show the settings, where the password is kept, and how many messages are in each state
    Show,
    /// Send a test email now, outside the queue, to check the settings
    Test {
        #[arg(long)]
        to: String,
    },
    /// Record an unsubscribe, bounce or complaint: no more mail to that address, and its
    /// contacts become do-not-email
    Suppress {
        address: String,
        #[arg(long, value_enum, default_value = "unsubscribed")]
        reason: SuppressionReason,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// List the suppressed addresses
    Suppressions,
}

#[derive(Debug, clap::Args)]
pub struct SetupArgs {
    #[arg(long)]
    host: Option<String>,
    /// [default: 587 for starttls, 465 for tls, 25 for none]
    #[arg(long)]
    port: Option<u16>,
    #[arg(long, value_enum)]
    security: Option<Security>,
    /// The login ("" for a relay without one)
    #[arg(long)]
    user: Option<String>,
    /// The From address
    #[arg(long)]
    from: Option<String>,
    #[arg(long)]
    from_name: Option<String>,
    /// The throttle: at most this many messages a minute
    #[arg(long)]
    per_minute: Option<u32>,
    /// Send email only to contacts who opted in
    #[arg(long)]
    require_opt_in: Option<bool>,
    /// Where unsubscribe requests go [default: the From address]
    #[arg(long)]
    unsubscribe: Option<String>,
    /// The email-to-fax gateway, e.g. "{fax_digits}@fax.example.com"
    #[arg(long)]
    fax_gateway: Option<String>,
    /// Seconds to wait for the server
    #[arg(long)]
    timeout: Option<u64>,
}

pub fn run(store: &Store, command: OutboxCommand) -> Result<()> {
    let conn = store.conn();
    match command {
        OutboxCommand::Run { now, per_minute } => send_due(store, now, per_minute)?,
        OutboxCommand::List { state, json } => {
            let entries = list_outbox(conn, state)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&entries).expect("entries serialise"));
            } else {
                entries.iter().for_each(print_entry);
            }
        }
        OutboxCommand::Retry { ids, all } => {
            let now = Utc::now();
            let count = if all {
                retry_waiting(conn, now)?
            } else {
                ids.iter().try_for_each(|id| retry_message(conn, *id, now)).map(|()| ids.len())?
            };
            println!("{count} queued to go now; send them with `rolodeck outbox run`");
        }
        OutboxCommand::Drop { ids } => {
            drop_messages(conn, &ids, Utc::now())?;
            println!("dropped {}", ids.len());
        }
        OutboxCommand::Setup(args) => {
            let settings = args.apply(get_mail_settings(conn)?);
            set_mail_settings(conn, &settings)?;
            println!("saved the mail settings for {} on {}:{}", settings.from_address, settings.host, settings.port);
        }
        OutboxCommand::Password { forget } => password(&get_mail_settings(conn)?, forget)?,
        OutboxCommand::Show => show(store)?,
        OutboxCommand::Test { to } => {
            let settings = get_mail_settings(conn)?;
            send_test_email(&SmtpConnector::new(settings.clone(), &PasswordStore::from_env())?, &to)?;
            println!("sent a test email to {to} through {}:{}", settings.host, settings.port);
        }
        OutboxCommand::Suppress { address, reason, note } => {
            let marked = suppress_address(conn, &address, reason, &note, Utc::now())?;
            println!("{address} is suppressed ({}); {marked} contact(s) marked do-not-email", reason.as_str());
        }
        OutboxCommand::Suppressions => {
            for s in list_suppressions(conn)? {
                println!(
                    "{}\t{}\t{}\t{}",
                    s.address,
                    s.reason.as_str(),
                    s.recorded_at.with_timezone(&Local).format("%Y-%m-%d"),
                    s.note
                );
            }
        }
    }
    Ok(())
}

/// Runs the outbox once, printing each message's outcome and a summary.
pub fn send_due(store: &Store, now: bool, per_minute: Option<u32>) -> Result<()> {
    let settings = get_mail_settings(store.conn())?;
    let connector = SmtpConnector::new(settings.clone(), &PasswordStore::from_env())?;
    let options =
        RunOptions { per_minute: per_minute.unwrap_or(settings.per_minute), ignore_schedule: now, stop: None };
    let report = run_outbox(store, &connector, &options, &mut print_event)?;
    if report.interrupted > 0 {
        println!(
            "{} message(s) were being sent when Rolodeck last stopped and may have arrived: see `rolodeck outbox list --state uncertain`",
            report.interrupted
        );
    }
    println!(
        "sent {}, deferred {}, failed {}, uncertain {}, cancelled {}; {} waiting{}",
        report.sent,
        report.deferred,
        report.failed,
        report.uncertain,
        report.cancelled,
        report.waiting,
        report
            .next_attempt_at
            .map_or(String::new(), |t| format!(" (next try {})", t.with_timezone(&Local).format("%H:%M")))
    );
    report.stopped_by.map_or(Ok(()), |err| Err(err.into()))
}

fn print_event(event: &RunEvent) {
    let detail = match &event.outcome {
        Outcome::Sent => ("sent", String::new()),
        Outcome::Deferred { reason, next_attempt_at } => {
            ("deferred", format!(" — {reason}; next try {}", next_attempt_at.with_timezone(&Local).format("%H:%M")))
        }
        Outcome::Failed { reason } => ("failed", format!(" — {reason}")),
        Outcome::Uncertain { reason } => ("uncertain", format!(" — {reason}")),
        Outcome::Cancelled { reason } => ("cancelled", format!(" — {reason}")),
    };
    println!("{:<9} {} {} “{}”{}", detail.0, event.id, event.to_address, event.subject, detail.1);
}

fn print_entry(e: &OutboxEntry) {
    let when = match e.state {
        State::Sent => e.sent_at.map(|t| format!("sent {}", t.with_timezone(&Local).format("%Y-%m-%d %H:%M"))),
        State::Queued => Some(format!("due {}", e.next_attempt_at.with_timezone(&Local).format("%Y-%m-%d %H:%M"))),
        _ => None,
    };
    let extra = [when, e.last_error.clone()].into_iter().flatten().collect::<Vec<_>>().join(" — ");
    println!("{:<9} {} {} “{}” tries: {} {extra}", e.state.as_str(), e.id, e.to_address, e.subject, e.attempts);
}

/// Saves (or forgets) the password read from standard input; says where it went, never what.
fn password(settings: &MailSettings, forget: bool) -> Result<()> {
    if settings.user.is_empty() || settings.host.is_empty() {
        return Err(Error::Invalid(vec![FieldError::new(
            "user",
            "Set the server and user first: rolodeck outbox setup --host … --user …",
        )]));
    }
    let store = PasswordStore::from_env();
    let account = settings.account();
    if forget {
        store.forget(&account)?;
        println!("forgot the password for {account}");
        return Ok(());
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = Password::new(line.trim_end_matches(['\r', '\n']));
    if password.expose().is_empty() {
        return Err(Error::Invalid(vec![FieldError::new("password", "No password given on standard input.")]));
    }
    println!("saved the password for {account} in {}", store.save(&account, &password)?);
    Ok(())
}

fn show(store: &Store) -> Result<()> {
    let settings = get_mail_settings(store.conn())?;
    println!("{}", serde_json::to_string_pretty(&settings).expect("settings serialise"));
    if !settings.user.is_empty() {
        let found = PasswordStore::from_env().load(&settings.account())?;
        match found {
            Some((_, location)) => println!("password: from {location}"),
            None => println!("password: none saved; run `rolodeck outbox password`"),
        }
    }
    let c = outbox_counts(store.conn())?;
    println!(
        "outbox: {} queued, {} sending, {} sent, {} failed, {} uncertain, {} cancelled",
        c.queued, c.sending, c.sent, c.failed, c.uncertain, c.cancelled
    );
    Ok(())
}

impl SetupArgs {
    fn apply(self, mut s: MailSettings) -> MailSettings {
        if let Some(security) = self.security {
            s.security = security;
            s.port = security.default_port();
        }
        set(&mut s.host, self.host);
        set(&mut s.port, self.port);
        set(&mut s.user, self.user);
        set(&mut s.from_address, self.from);
        set(&mut s.from_name, self.from_name);
        set(&mut s.per_minute, self.per_minute);
        set(&mut s.require_opt_in, self.require_opt_in);
        set(&mut s.unsubscribe_address, self.unsubscribe);
        set(&mut s.fax_gateway, self.fax_gateway);
        set(&mut s.timeout_seconds, self.timeout);
        s
    }
}

fn set<T>(field: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *field = value;
    }
}
