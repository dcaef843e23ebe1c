//! What a reviewer changed in a claims file since the last commit, read
//! from the file itself: its new history entries (and rejections) say who
//! did what to which claim. A commit's author and message come from here.

use std::collections::BTreeMap;

use crate::model::{Claim, Document, HistoryEntry};

/// One reviewer's change to one claim, in a word or two.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Item {
    /// The reviewer, or `""` when the file changed without one (edited by
    /// hand, imported).
    pub by: String,
    pub claim: String,
    pub what: String,
}

/// The changes between `old` (the last commit's file, if it had one) and
/// `new` (the file now), one item per history entry added or claim
/// rejected; a change that left no history (a hand edit, an import) is
/// one item without a reviewer.
pub fn items(old: Option<&Document>, new: &Document) -> Vec<Item> {
    let old_claims: BTreeMap<&str, &Claim> = old
        .map(|d| d.claims.iter().map(|c| (c.id.0.as_str(), c)).collect())
        .unwrap_or_default();
    let mut out = Vec::new();
    for c in &new.claims {
        let before: &[HistoryEntry] = old_claims
            .get(c.id.0.as_str())
            .map_or(&[], |o| o.history.as_slice());
        for h in added(before, &c.history) {
            out.push(Item {
                by: h.by.clone(),
                claim: c.id.0.to_string(),
                what: what(h),
            });
        }
    }
    let old_rejected = old.map(rejections).unwrap_or_default();
    for (id, by) in rejections(new) {
        if !old_rejected.contains(&(id.clone(), by.clone())) {
            out.push(Item {
                by,
                claim: id,
                what: "rejected".into(),
            });
        }
    }
    // What a person changed by hand in the file: the article, its sources.
    if let Some(old) = old {
        for (what, changed) in [
            ("article", old.article != new.article),
            ("sources", old.sources != new.sources),
        ] {
            if changed {
                out.push(Item {
                    by: String::new(),
                    claim: new.article.id.clone(),
                    what: what.into(),
                });
            }
        }
    }
    if out.is_empty() && old != Some(new) {
        let what = if old.is_none() { "new" } else { "edited" };
        out.push(Item {
            by: String::new(),
            claim: new.article.id.clone(),
            what: what.into(),
        });
    }
    out
}

/// The entries of `now` that `before` did not have (counting repeats).
fn added<'a>(before: &[HistoryEntry], now: &'a [HistoryEntry]) -> Vec<&'a HistoryEntry> {
    let mut left: Vec<&HistoryEntry> = before.iter().collect();
    let mut out = Vec::new();
    for h in now {
        match left.iter().position(|b| *b == h) {
            Some(i) => {
                left.swap_remove(i);
            }
            None => out.push(h),
        }
    }
    out
}

/// A history entry in a word or two: `verified`, `note`, `undo verified`.
fn what(h: &HistoryEntry) -> String {
    let mut parts: Vec<String> = Vec::new();
    if h.status != h.previous() {
        parts.push(h.status.to_string());
    }
    if let Some(t) = h.extra.get("triage").and_then(|v| v.as_str()) {
        parts.push(t.to_string());
    }
    if h.note.is_some() {
        parts.push("note".into());
    }
    if !h.evidence.is_empty() || !h.evidence_removed.is_empty() {
        parts.push("evidence".into());
    }
    if h.extra.get("translation").is_some() {
        parts.push("translation".into());
    }
    if parts.is_empty() {
        parts.push(format!("{} again", h.status));
    }
    let said = parts.join("+");
    if h.undo { format!("undo {said}") } else { said }
}

/// The file's `rejected:` log: (claim id, who).
fn rejections(doc: &Document) -> Vec<(String, String)> {
    let Some(serde_yaml::Value::Sequence(list)) = doc.extra.get("rejected") else {
        return Vec::new();
    };
    let field = |v: &serde_yaml::Value, k: &str| {
        v.get(k)
            .and_then(|s| s.as_str())
            .unwrap_or_default()
            .to_string()
    };
    list.iter()
        .map(|v| (field(v, "id"), field(v, "by")))
        .collect()
}

/// A commit message for `items`: `alice: alb-03 verified, alb-04 note;
/// bob: alb-07 note` when it fits on a line, else counts on the first line
/// and every change below it.
pub fn message(items: &[Item]) -> String {
    let mut by: BTreeMap<&str, Vec<&Item>> = BTreeMap::new();
    for i in items {
        by.entry(i.by.as_str()).or_default().push(i);
    }
    let name = |b: &str| if b.is_empty() { "by hand" } else { b }.to_string();
    let full: Vec<String> = by
        .iter()
        .map(|(b, list)| {
            let said: Vec<String> = list
                .iter()
                .map(|i| format!("{} {}", i.claim, i.what))
                .collect();
            format!("{}: {}", name(b), said.join(", "))
        })
        .collect();
    let line = full.join("; ");
    if line.chars().count() <= 72 && !line.contains('\n') {
        return line;
    }
    let counts: Vec<String> = by
        .iter()
        .map(|(b, list)| {
            let n = list.len();
            format!("{}: {n} change{}", name(b), if n == 1 { "" } else { "s" })
        })
        .collect();
    let mut out = counts.join("; ");
    out.push_str("\n\n");
    for i in items {
        out.push_str(&format!("{}: {} {}\n", name(&i.by), i.claim, i.what));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(by: &str, claim: &str, what: &str) -> Item {
        Item {
            by: by.into(),
            claim: claim.into(),
            what: what.into(),
        }
    }

    #[test]
    fn a_short_message_lists_each_reviewer_and_claim() {
        let m = message(&[
            item("alice", "alb-03", "verified"),
            item("bob", "alb-07", "note"),
            item("alice", "alb-04", "note"),
        ]);
        assert_eq!(m, "alice: alb-03 verified, alb-04 note; bob: alb-07 note");
    }

    #[test]
    fn a_long_message_counts_on_its_first_line_and_lists_below() {
        let many: Vec<Item> = (0..20)
            .map(|i| item("alice", &format!("alb-{i:02}"), "verified"))
            .collect();
        let m = message(&many);
        let mut lines = m.lines();
        assert_eq!(lines.next(), Some("alice: 20 changes"));
        assert_eq!(lines.next(), Some(""));
        assert_eq!(
            m.lines().filter(|l| l.starts_with("alice: alb-")).count(),
            20
        );
    }
}
