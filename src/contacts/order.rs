//! The list order, kept in memory so a keystroke costs one full-text lookup and no sort.
//!
//! Ordering thousands of matches by family name in SQL means fetching every matching row; here
//! each live contact's rank in the list is known up front, so the matches' ranks are compared in
//! a plain array. The snapshot is rebuilt when the file changes: this connection's change
//! counter or `data_version` (another connection's commit) moves.

use std::cell::{Ref, RefCell};

use rusqlite::Connection;

use crate::Result;

#[derive(Default)]
pub struct ListOrder {
    cached: RefCell<Option<Snapshot>>,
}

pub struct Snapshot {
    stamp: (i64, i64),
    /// Live contacts' `seq`, in list order.
    pub seqs: Vec<i64>,
    /// Each `seq`'s place in `seqs` (`u32::MAX` when not live), indexed by `seq`.
    rank: Vec<u32>,
}

impl ListOrder {
    /// The current order, rebuilt first if the file changed since it was taken.
    pub fn snapshot(&self, conn: &Connection) -> Result<Ref<'_, Snapshot>> {
        let stamp =
            conn.query_row("SELECT total_changes(), (SELECT data_version FROM pragma_data_version)", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        if self.cached.borrow().as_ref().is_none_or(|s| s.stamp != stamp) {
            *self.cached.borrow_mut() = Some(Snapshot::take(conn, stamp)?);
        }
        Ok(Ref::map(self.cached.borrow(), |s| s.as_ref().expect("just filled")))
    }
}

impl Snapshot {
    fn take(conn: &Connection, stamp: (i64, i64)) -> Result<Snapshot> {
        let seqs: Vec<i64> = conn
            .prepare("SELECT seq FROM contacts WHERE deleted_at IS NULL ORDER BY sort_key, seq")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut rank = vec![u32::MAX; seqs.iter().max().map_or(0, |&m| m as usize + 1)];
        for (place, &seq) in seqs.iter().enumerate() {
            rank[seq as usize] = place as u32;
        }
        Ok(Snapshot { stamp, seqs, rank })
    }

    /// The place of `seq` in the list, if it is a live contact.
    pub fn rank(&self, seq: i64) -> Option<u32> {
        self.rank.get(usize::try_from(seq).ok()?).copied().filter(|&r| r != u32::MAX)
    }

    /// Places `offset .. offset + limit` of the given matches in list order, as `seq`s.
    pub fn page(&self, mut ranks: Vec<u32>, offset: usize, limit: usize) -> Vec<i64> {
        let end = offset.saturating_add(limit).min(ranks.len());
        if offset >= end {
            return Vec::new();
        }
        // Only the first `end` need ordering: partition around the last of them, then sort those.
        ranks.select_nth_unstable(end - 1);
        ranks.truncate(end);
        ranks.sort_unstable();
        ranks[offset..].iter().map(|&r| self.seqs[r as usize]).collect()
    }
}
