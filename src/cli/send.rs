//! `rolodeck send`: merge an email (or a fax through the gateway) for everyone a search or a
//! smart list finds, queue it in the outbox, and send what is due (unless `--queue-only`).

use std::path::{Path, PathBuf};

use chrono::{Local, Utc};
use clap::Args;
use rolodeck::mail::compose::{EmailRun, LetterAttachment, queue_merge};
use rolodeck::mail::outbox::{Attachment, MessageKind};
use rolodeck::mail::settings::get_mail_settings;
use rolodeck::merge::fields::{DateStyle, format_date, saved_sender};
use rolodeck::merge::images::SenderImages;
use rolodeck::merge::layout::Paper;
use rolodeck::merge::letters::RecipientOrder;
use rolodeck::merge::library::find_template;
use rolodeck::merge::recipients::Recipients;
use rolodeck::merge::template::Template;
use rolodeck::{Error, Result, Store, contacts};

#[derive(Debug, Args)]
pub struct SendArgs {
    /// The subject, with merge fields like the body: "Hello {{ first_name }}"
    #[arg(long)]
    subject_template: String,
    /// The body: a template file, with the letters' fields, fallbacks and **bold**/*italic*
    #[arg(long)]
    body_template: PathBuf,
    /// Who gets it: a search, as in the app ("" for everyone)
    #[arg(long, default_value = "", conflicts_with = "list")]
    to: String,
    /// Or everyone on a saved smart list
    #[arg(long)]
    list: Option<String>,
    /// Also send an HTML version, made from the body's paragraphs, bold and italic
    #[arg(long)]
    html: bool,
    /// A file to attach, e.g. a PDF (for --fax: the document to fax; without one, each fax
    /// carries a cover sheet and the body set as a letter)
    #[arg(long, conflicts_with = "letter")]
    attach: Option<PathBuf>,
    /// Attach each recipient's own letter, merged from this saved or sample template, as a PDF
    #[arg(long, value_name = "TEMPLATE")]
    letter: Option<String>,
    /// The letter's paper
    #[arg(long, value_enum, default_value = "us-window", requires = "letter")]
    paper: Paper,
    /// Send as a fax, to each contact's fax number at the gateway set with
    /// `rolodeck outbox setup --fax-gateway`
    #[arg(long)]
    fax: bool,
    /// Only queue; `rolodeck outbox run` sends later
    #[arg(long)]
    queue_only: bool,
    /// How `today` is written in the templates
    #[arg(long, value_enum, default_value = "us")]
    date_style: DateStyle,
}

pub fn run(store: &Store, args: SendArgs) -> Result<()> {
    let conn = store.conn();
    let settings = get_mail_settings(conn)?;
    let sender = saved_sender(conn)?;
    let images = SenderImages::load(conn, &sender)?;
    let subject = Template::parse("subject", &args.subject_template)?;
    let body = Template::parse(&template_name(&args.body_template), &std::fs::read_to_string(&args.body_template)?)?;
    let attachment = args.attach.as_deref().map(read_attachment).transpose()?;
    let kind = if args.fax { MessageKind::Fax } else { MessageKind::Email };
    let today = format_date(Local::now().date_naive(), args.date_style);
    let letter = match &args.letter {
        Some(name) => {
            let found = find_template(conn, name)?
                .ok_or_else(|| Error::Missing(format!("no template “{name}”; see `rolodeck templates`")))?;
            Some((Template::parse(&found.name, &found.source)?, found.name))
        }
        None => None,
    };
    let letter = letter.as_ref().map(|(template, name)| LetterAttachment { template, name, paper: args.paper });
    let run = EmailRun {
        kind,
        subject: &subject,
        body: &body,
        html: args.html,
        attachment: attachment.as_ref(),
        letter: letter.as_ref(),
        sender: &sender,
        images: &images,
        today: &today,
        settings: &settings,
    };
    let queued = queue_merge(conn, &run, &chosen(store, &args)?, Utc::now())?;
    let batch = queued.batch_id.map_or(String::new(), |b| format!(" (batch {b})"));
    println!("queued {} {}{batch}, {} skipped", queued.queued, plural(kind, queued.queued), queued.skipped.len());
    for skipped in &queued.skipped {
        println!("  skipped {}: {}", skipped.name, skipped.reason);
    }
    if args.queue_only || queued.queued == 0 {
        return Ok(());
    }
    super::outbox::send_due(store, false, None)
}

/// The recipients: a smart list's members, or everyone the search finds.
fn chosen(store: &Store, args: &SendArgs) -> Result<Vec<contacts::Contact>> {
    let recipients = match &args.list {
        Some(name) => Recipients::List { name: name.clone() },
        None => Recipients::Search { query: args.to.clone() },
    };
    recipients.resolve(store, RecipientOrder::Name)
}

fn read_attachment(path: &Path) -> Result<Attachment> {
    let is_pdf = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    Ok(Attachment {
        file_name: path.file_name().map_or("attachment".into(), |n| n.to_string_lossy().into_owned()),
        content_type: if is_pdf { "application/pdf" } else { "application/octet-stream" }.into(),
        bytes: std::fs::read(path)?,
    })
}

fn template_name(path: &Path) -> String {
    path.file_stem().map_or("body".into(), |s| s.to_string_lossy().into_owned())
}

fn plural(kind: MessageKind, n: usize) -> &'static str {
    match (kind, n) {
        (MessageKind::Email, 1) => "email",
        (MessageKind::Email, _) => "emails",
        (MessageKind::Fax, 1) => "fax",
        (MessageKind::Fax, _) => "faxes",
    }
}
