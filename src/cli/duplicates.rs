//! `rolodeck duplicates`: likely duplicate pairs, most certain first, with the reasons; `compare`
//! shows a pair side by side, `merge` merges B into A, `undo` takes a merge back, `merges`
//! lists past merges.

use clap::{Args, Subcommand};
use rolodeck::contacts::ContactId;
use rolodeck::quality::duplicates::find_duplicates;
use rolodeck::quality::merging::{MergeRecord, list_merges, merge_contacts, undo_merge};
use rolodeck::quality::pair::{MergeChoices, MergeField, Side, duplicate_pair};
use rolodeck::{Error, FieldError, Result, Store};
use uuid::Uuid;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct DuplicatesArgs {
    #[command(subcommand)]
    command: Option<DuplicatesCommand>,
    /// Show at most this many pairs
    #[arg(long, default_value_t = 50)]
    limit: usize,
}

#[derive(Debug, Subcommand)]
enum DuplicatesCommand {
    /// Show two contacts side by side, with the value a merge would keep of each field
    Compare { a: ContactId, b: ContactId },
    /// Merge contact B into contact A; B goes to the Trash (undo with `duplicates undo`)
    Merge {
        /// The contact that stays
        a: ContactId,
        /// The duplicate, merged into A
        b: ContactId,
        /// Keep this field from side a or b, e.g. `--take company=b` (repeat); other fields
        /// keep the suggested side, which is never a blank over a value
        #[arg(long, value_name = "FIELD=a|b")]
        take: Vec<String>,
    },
    /// Undo a merge by its id: both contacts and every moved row go back as they were
    Undo { id: Uuid },
    /// List past merges, newest first
    Merges,
}

pub fn run(store: &Store, args: DuplicatesArgs) -> Result<()> {
    let conn = store.conn();
    match args.command {
        None => {
            let pairs = find_duplicates(conn)?;
            for pair in pairs.iter().take(args.limit) {
                println!(
                    "{:>4.0} %  {}  ~  {}: {}",
                    pair.score * 100.0,
                    pair.a_name,
                    pair.b_name,
                    pair.reasons.join("; ")
                );
                println!("         {}  {}", pair.a, pair.b);
            }
            println!("{} likely duplicate pairs", pairs.len());
        }
        Some(DuplicatesCommand::Compare { a, b }) => {
            let review = duplicate_pair(conn, a, b)?;
            println!("{:<16}  {:<30}  {:<30}  keep", "", "A", "B");
            for field in review.fields.iter().filter(|f| !f.a.is_empty() || !f.b.is_empty()) {
                let keep = if field.same { "=" } else { side_name(field.suggested) };
                println!("{:<16}  {:<30}  {:<30}  {keep}", field.label, clip(&field.a), clip(&field.b));
            }
            let lists = &review.lists;
            println!(
                "kept together: {} emails, {} phones, {} addresses, {} websites, {} tags",
                lists.emails.len(),
                lists.phones.len(),
                lists.addresses.len(),
                lists.websites.len(),
                lists.tags.len()
            );
            let moving: Vec<String> = review.moving.iter().map(|(what, n)| format!("{n} {}", words(what))).collect();
            println!("moving from B to A: {}", moving.join(", "));
        }
        Some(DuplicatesCommand::Merge { a, b, take }) => {
            let choices = parse_choices(&take)?;
            let record = merge_contacts(conn, a, b, &choices)?;
            println!(
                "merged {} into {}: {} rows moved, {} is in the Trash (undo: rolodeck duplicates undo {})",
                record.merged_name, record.kept_name, record.moved_rows, record.merged_name, record.id
            );
        }
        Some(DuplicatesCommand::Undo { id }) => {
            let record = undo_merge(conn, id)?;
            println!("undid merge {id}: {} and {} are back as they were", record.kept_name, record.merged_name);
        }
        Some(DuplicatesCommand::Merges) => {
            for record in list_merges(conn)? {
                print_merge(&record);
            }
        }
    }
    Ok(())
}

/// `--take field=a|b` arguments as choices.
fn parse_choices(takes: &[String]) -> Result<MergeChoices> {
    takes
        .iter()
        .map(|take| {
            let (field, side) = take.split_once('=').unwrap_or((take, ""));
            let side = match side.trim().to_ascii_lowercase().as_str() {
                "a" => Side::A,
                "b" => Side::B,
                _ => {
                    return Err(Error::Invalid(vec![FieldError::new(
                        "take",
                        format!("“--take {take}” needs a side: FIELD=a or FIELD=b"),
                    )]));
                }
            };
            Ok((MergeField::parse(field.trim())?, side))
        })
        .collect()
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::A => "a",
        Side::B => "b",
    }
}

/// `stageChanges` as "stage changes".
fn words(camel: &str) -> String {
    camel.chars().flat_map(|c| if c.is_uppercase() { vec![' ', c.to_ascii_lowercase()] } else { vec![c] }).collect()
}

/// A value cut to its column, on one line.
fn clip(text: &str) -> String {
    let line = text.replace('\n', " ");
    if line.chars().count() <= 30 { line } else { format!("{}…", line.chars().take(29).collect::<String>()) }
}

fn print_merge(record: &MergeRecord) {
    let undone = record.undone_at.map_or(String::new(), |t| format!(" (undone {})", t.format("%Y-%m-%d %H:%M")));
    println!(
        "{}  {}  {} ← {}: {} rows moved{undone}",
        record.id,
        record.created_at.format("%Y-%m-%d %H:%M"),
        record.kept_name,
        record.merged_name,
        record.moved_rows
    );
}
