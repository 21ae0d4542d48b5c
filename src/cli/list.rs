//! `rolodeck list`: a smart list from the command line. Give conditions (all must hold),
//! or `--saved NAME`; `--save NAME` keeps the conditions for the app, merges and mailings.

use clap::Args;
use rolodeck::contacts::Circle;
use rolodeck::contacts::custom::{Condition, Op};
use rolodeck::workflow::lists::{Filter, get_list, list_matching, save_list};
use rolodeck::workflow::stage::Stage;
use rolodeck::{Error, Result, Store};

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Use a saved list
    #[arg(long, conflicts_with = "save")]
    saved: Option<String>,
    /// Save these conditions under a name
    #[arg(long)]
    save: Option<String>,
    /// Words to search for, as in the app's search box
    #[arg(long)]
    text: Option<String>,
    /// Any of these stages (repeat)
    #[arg(long, value_enum)]
    stage: Vec<Stage>,
    /// Any of these grades: A, B, C, D (repeat)
    #[arg(long)]
    grade: Vec<String>,
    /// Any of these circles (repeat)
    #[arg(long, value_parser = parse_circle)]
    circle: Vec<Circle>,
    /// Has all of these tags (repeat)
    #[arg(long)]
    tag: Vec<String>,
    #[arg(long)]
    lead_source: Option<String>,
    #[arg(long)]
    city: Option<String>,
    #[arg(long)]
    country: Option<String>,
    /// Last contacted before this date (YYYY-MM-DD), or never
    #[arg(long)]
    last_contacted_before: Option<chrono::NaiveDate>,
    /// Last contacted on or after this date
    #[arg(long)]
    last_contacted_after: Option<chrono::NaiveDate>,
    /// Only contacts with an open next action
    #[arg(long, conflicts_with = "no_next_action")]
    has_next_action: bool,
    /// Only contacts without one
    #[arg(long)]
    no_next_action: bool,
    #[arg(long)]
    min_purchases: Option<u32>,
    /// Spent at least this much (in currency units, e.g. 500 or 499.99)
    #[arg(long)]
    min_spent: Option<f64>,
    /// Bought something on or after this date (YYYY-MM-DD)
    #[arg(long)]
    bought_since: Option<chrono::NaiveDate>,
    /// A custom field condition (repeat): Budget>=1000, Size=Large, Hobby~sail, Renewal<2027-01-01,
    /// Newsletter=yes; `Name=` matches blanks
    #[arg(long = "field", value_name = "CONDITION", value_parser = parse_condition)]
    fields: Vec<Condition>,
    #[arg(long, default_value_t = 50)]
    limit: usize,
}

/// `NAME OP VALUE` with OP one of = ~ > < >= <=; `NAME=` with nothing after it is "is empty".
fn parse_condition(text: &str) -> std::result::Result<Condition, String> {
    let at = text
        .find(['=', '~', '<', '>'])
        .ok_or_else(|| format!("“{text}” has no comparison: write NAME=VALUE, NAME~TEXT, NAME>=NUMBER, NAME<DATE …"))?;
    let (field, rest) = text.split_at(at);
    let (op, value) =
        [(">=", Op::AtLeast), ("<=", Op::AtMost), (">", Op::Above), ("<", Op::Below), ("~", Op::Contains)]
            .into_iter()
            .find_map(|(symbol, op)| rest.strip_prefix(symbol).map(|value| (op, value)))
            .unwrap_or((Op::Equals, &rest[1..]));
    let (op, value) = match (op, value.trim()) {
        (Op::Equals, "") => (Op::IsEmpty, None),
        (op, value) => (op, Some(serde_json::Value::String(value.to_string()))),
    };
    Ok(Condition { field: field.trim().to_string(), op, value })
}

fn parse_circle(text: &str) -> std::result::Result<Circle, String> {
    Circle::parse(text).ok_or_else(|| format!("“{text}” is not a circle: use business, personal or both"))
}

pub fn run(store: &Store, args: ListArgs) -> Result<()> {
    let conn = store.conn();
    let filter = match &args.saved {
        Some(name) => {
            get_list(conn, name)?
                .ok_or_else(|| Error::Missing(format!("no saved list named “{name}”; save one with --save")))?
                .filter
        }
        None => Filter {
            text: args.text,
            stages: args.stage,
            grades: args.grade,
            circles: args.circle,
            tags: args.tag,
            lead_source: args.lead_source,
            city: args.city,
            country: args.country,
            last_contacted_before: args.last_contacted_before,
            last_contacted_after: args.last_contacted_after,
            has_next_action: (args.has_next_action || args.no_next_action).then_some(args.has_next_action),
            min_purchases: args.min_purchases,
            min_spent_cents: args.min_spent.map(|units| (units * 100.0).round() as i64),
            bought_since: args.bought_since,
            referred_by: None,
            custom: args.fields,
        },
    };
    if let Some(name) = &args.save {
        save_list(conn, name, &filter)?;
        println!("saved as “{name}”");
    }
    let page = list_matching(store, &filter, 0, args.limit)?;
    for row in &page.rows {
        println!("{}", super::contacts::row_line(row));
    }
    println!("{} contacts match", page.total);
    Ok(())
}
