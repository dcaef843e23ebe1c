//! A three-way merge of claims files, claim by claim, for git's merge driver.
//!
//! Reviewers on different machines share claims through git. Line-based
//! merging conflicts whenever two reviewers touch neighbouring claims, and
//! can produce a file that parses but mixes two claims' history. Here the
//! unit is the claim: histories are unioned in time order, and when both
//! sides changed the same claim's status differently, the newer change wins
//! and the other stays in history. Anything we cannot merge with certainty
//! is left to git's own conflict handling.

use std::collections::{HashMap, HashSet};

use crate::model::{Claim, ClaimId, Document, HistoryEntry};

/// Why a merge was left to git.
#[derive(Debug, Clone, PartialEq)]
pub struct Unmergeable(pub String);

/// A merged document, and what the merge decided that a person should know.
#[derive(Debug)]
pub struct Merged {
    pub doc: Document,
    pub reports: Vec<String>,
}

/// The three-way pick for a value: one side's change wins over no change;
/// two different changes are a conflict (`None`).
fn pick<'a, T: PartialEq>(base: Option<&'a T>, ours: &'a T, theirs: &'a T) -> Option<&'a T> {
    if ours == theirs || base == Some(theirs) {
        Some(ours)
    } else if base == Some(ours) {
        Some(theirs)
    } else {
        None
    }
}

/// A claim without what we merge field by field, to compare the rest.
fn rest(c: &Claim) -> Claim {
    Claim {
        status: crate::model::Status::Unreviewed,
        note: None,
        evidence: Vec::new(),
        history: Vec::new(),
        ..c.clone()
    }
}

/// The time of the last history entry on a side that changed `what`.
fn last_change(c: &Claim, what: impl Fn(&HistoryEntry) -> bool) -> &str {
    c.history
        .iter()
        .rev()
        .find(|h| what(h))
        .map_or("", |h| h.at.as_str())
}

fn union_history(ours: &[HistoryEntry], theirs: &[HistoryEntry]) -> Vec<HistoryEntry> {
    let mut all: Vec<HistoryEntry> = ours.to_vec();
    for h in theirs {
        if !all.contains(h) {
            all.push(h.clone());
        }
    }
    // Stable: entries with the same time keep ours-then-theirs order.
    all.sort_by(|a, b| a.at.cmp(&b.at));
    all
}

fn merge_claim(
    base: Option<&Claim>,
    ours: &Claim,
    theirs: &Claim,
    reports: &mut Vec<String>,
) -> Result<Claim, Unmergeable> {
    let (b_rest, o_rest, t_rest) = (base.map(rest), rest(ours), rest(theirs));
    let Some(mut merged) = pick(b_rest.as_ref(), &o_rest, &t_rest).cloned() else {
        return Err(Unmergeable(format!(
            "claim `{}`: both sides changed its text, translation, source or paragraph",
            ours.id
        )));
    };
    merged.history = union_history(&ours.history, &theirs.history);
    merged.evidence = ours.evidence.clone();
    for e in &theirs.evidence {
        if !merged.evidence.contains(e) {
            merged.evidence.push(e.clone());
        }
    }
    let status_change = |h: &HistoryEntry| h.status != h.previous || h.undo;
    merged.status = match pick(base.map(|b| &b.status), &ours.status, &theirs.status) {
        Some(s) => *s,
        None => {
            let (o_at, t_at) = (
                last_change(ours, status_change),
                last_change(theirs, status_change),
            );
            // Ties go to ours: the branch being merged into.
            let (winner, side) = if t_at > o_at {
                (theirs.status, "theirs")
            } else {
                (ours.status, "ours")
            };
            reports.push(format!(
                "claim `{}`: both sides changed the status ({} vs {}); kept the newer, {winner} ({side}); \
                 the other change stays in history",
                ours.id, ours.status, theirs.status
            ));
            winner
        }
    };
    merged.note = match pick(base.map(|b| &b.note), &ours.note, &theirs.note) {
        Some(n) => n.clone(),
        None => {
            let with_note = |h: &HistoryEntry| h.note.is_some();
            let newer_theirs = last_change(theirs, with_note) > last_change(ours, with_note);
            reports.push(format!(
                "claim `{}`: both sides changed the note; kept the newer ({})",
                ours.id,
                if newer_theirs { "theirs" } else { "ours" }
            ));
            if newer_theirs {
                theirs.note.clone()
            } else {
                ours.note.clone()
            }
        }
    };
    Ok(merged)
}

/// Merge `ours` and `theirs`, both descended from `base`.
pub fn merge(base: &Document, ours: &Document, theirs: &Document) -> Result<Merged, Unmergeable> {
    let mut reports = Vec::new();
    let article = pick(Some(&base.article), &ours.article, &theirs.article)
        .ok_or_else(|| Unmergeable("both sides changed the article itself".into()))?
        .clone();
    let sources = pick(Some(&base.sources), &ours.sources, &theirs.sources)
        .ok_or_else(|| Unmergeable("both sides changed the sources".into()))?
        .clone();
    let extra = pick(Some(&base.extra), &ours.extra, &theirs.extra)
        .ok_or_else(|| Unmergeable("both sides changed top-level keys".into()))?
        .clone();

    let by_id = |d: &Document| -> HashMap<ClaimId, Claim> {
        d.claims.iter().map(|c| (c.id.clone(), c.clone())).collect()
    };
    let (b, o, t) = (by_id(base), by_id(ours), by_id(theirs));
    // Ours' order first, then what only theirs added, in theirs' order.
    let mut order: Vec<&ClaimId> = ours.claims.iter().map(|c| &c.id).collect();
    let known: HashSet<&ClaimId> = order.iter().copied().collect();
    order.extend(
        theirs
            .claims
            .iter()
            .map(|c| &c.id)
            .filter(|id| !known.contains(id)),
    );

    let mut claims = Vec::with_capacity(order.len());
    for id in order {
        let in_base = b.get(id);
        match (o.get(id), t.get(id)) {
            (Some(oc), Some(tc)) => claims.push(merge_claim(in_base, oc, tc, &mut reports)?),
            // Only on one side: added there, or deleted on the other.
            (Some(only), None) | (None, Some(only)) => match in_base {
                None => claims.push(only.clone()),
                Some(bc) if bc == only => {} // deleted on the other side, untouched here
                Some(_) => {
                    reports.push(format!(
                        "claim `{id}`: deleted on one side and changed on the other; kept the changed one"
                    ));
                    claims.push(only.clone());
                }
            },
            (None, None) => {}
        }
    }
    Ok(Merged {
        doc: Document {
            article,
            sources,
            claims,
            extra,
        },
        reports,
    })
}
