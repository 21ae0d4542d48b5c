//! The workflow from a shell: `rolodeck log` (the 3-step wrap-up), `rolodeck today` and
//! `rolodeck stage`. A contact is named by its id or by a search that finds exactly one.

use chrono::{Local, NaiveDate, Utc};
use clap::Args;
use rolodeck::contacts::{self, ContactId};
use rolodeck::workflow::activity::{ActivityKind, NextAction, NextStep, WrapUp, log_activity};
use rolodeck::workflow::stage::{Stage, set_stage};
use rolodeck::workflow::today::today;
use rolodeck::{Error, FieldError, Result, Store};

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The contact: an id, or a search that finds exactly one
    contact: String,
    #[arg(long, value_enum, default_value = "call")]
    kind: ActivityKind,
    /// What happened
    #[arg(long)]
    summary: String,
    /// The next step ("Call back about the proposal")
    #[arg(long, requires = "due", conflicts_with = "no_next_step")]
    next: Option<String>,
    #[arg(long, value_enum, default_value = "call")]
    next_kind: ActivityKind,
    /// When the next step is due (YYYY-MM-DD)
    #[arg(long)]
    due: Option<NaiveDate>,
    /// Decide explicitly that there is no next step
    #[arg(long)]
    no_next_step: bool,
}

#[derive(Debug, Args)]
pub struct TodayArgs {
    /// Show another day (YYYY-MM-DD) instead of today
    #[arg(long)]
    date: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct StageArgs {
    /// The contact: an id, or a search that finds exactly one
    contact: String,
    #[arg(value_enum)]
    stage: Stage,
}

pub fn log(store: &Store, args: LogArgs) -> Result<()> {
    let id = resolve_contact(store, &args.contact)?;
    let next = match (args.next, args.due, args.no_next_step) {
        (Some(text), Some(due_on), false) => NextStep::Action(NextAction { kind: args.next_kind, text, due_on }),
        (None, None, true) => NextStep::NoNextStep,
        _ => {
            return Err(Error::Invalid(vec![FieldError::new(
                "next",
                "every logged activity needs its next step: --next TEXT --due YYYY-MM-DD, or --no-next-step",
            )]));
        }
    };
    let wrap_up = WrapUp { kind: args.kind, summary: args.summary, happened_at: Utc::now(), next };
    log_activity(store.conn(), id, &wrap_up)?;
    let name = contacts::get_contact(store.conn(), id)?.display_name;
    match wrap_up.next {
        NextStep::Action(next) => println!("logged for {name}; next: {} on {}", next.text, next.due_on),
        NextStep::NoNextStep => println!("logged for {name}; no next step (listed under “No next step”)"),
    }
    Ok(())
}

pub fn show_today(store: &Store, args: TodayArgs) -> Result<()> {
    let date = args.date.unwrap_or_else(|| Local::now().date_naive());
    let view = today(store.conn(), date)?;
    println!("Today, {date}");
    for (title, items) in [("Overdue", &view.overdue), ("Due today", &view.due_today)] {
        println!("\n{title} ({})", items.len());
        for f in items {
            let blocked = f.blocked.as_ref().map_or(String::new(), |reason| format!("  [blocked: {reason}]"));
            println!("  {}  {:<8} {} — {}{blocked}", f.due_on, f.kind.as_str(), f.name, f.text);
        }
    }
    println!("\nKeep in touch ({})", view.keep_in_touch.len());
    for k in &view.keep_in_touch {
        println!("  {}  every {} days, last {}", k.name, k.every_days, k.last_contacted);
    }
    println!("\nBirthdays this week ({})", view.birthdays.len());
    for b in &view.birthdays {
        let turns = b.turns.map_or(String::new(), |t| format!(" (turns {t})"));
        println!("  {}  {}{turns}", b.on, b.name);
    }
    println!("\nNo next step ({})", view.no_next_step_count);
    for p in &view.no_next_step {
        println!("  {}", p.name);
    }
    Ok(())
}

pub fn stage(store: &Store, args: StageArgs) -> Result<()> {
    let id = resolve_contact(store, &args.contact)?;
    let moved = set_stage(store.conn(), id, args.stage, Utc::now())?;
    let name = contacts::get_contact(store.conn(), id)?.display_name;
    println!("{name}: {} → {}", moved.from.as_str(), args.stage.as_str());
    if let Some(thanks) = moved.thank_you {
        println!("{}: {}", thanks.referrer_name, thanks.text);
    }
    Ok(())
}

/// An id, or a search that finds exactly one live contact.
pub(super) fn resolve_contact(store: &Store, text: &str) -> Result<ContactId> {
    if let Ok(id) = text.parse() {
        return Ok(id);
    }
    let page = contacts::search_contacts(store, text, 0, 5)?;
    match page.rows.as_slice() {
        [one] => Ok(one.id),
        [] => Err(Error::Missing(format!(
            "no contact matches “{text}”; try part of the name, an email or a phone number"
        ))),
        some => {
            let names: Vec<&str> = some.iter().map(|r| r.display_name.as_str()).collect();
            Err(Error::Invalid(vec![FieldError::new(
                "contact",
                format!(
                    "“{text}” matches {} contacts ({}…); be more specific or use the id",
                    page.total,
                    names.join(", ")
                ),
            )]))
        }
    }
}
