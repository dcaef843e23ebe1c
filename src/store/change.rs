//! One reviewer's change to one claim, and how it lands on the claim as it
//! is on disk at that moment (under the file's lock).
//!
//! A change carries what the reviewer saw (`Seen`). A status or a note that
//! someone else changed since is never replaced silently: the change is
//! refused with a `Conflict` that says who changed what, and when. Evidence
//! is a set: adding or removing one URL never disturbs another's.

use std::fmt;

use crate::model::{BUREAU, Claim, ClaimId, HistoryEntry, SAME_AS, Source, SourceId, Status};

/// Where this process's changes are made (a bureau), written into each
/// history entry. Set once at start, like the reviewer's clock.
static HERE: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Record `bureau` with every change this process makes from now on (the
/// first call decides; a blank name records none).
pub fn set_bureau(bureau: &str) {
    let b = bureau.trim();
    if !b.is_empty() && !b.chars().any(char::is_control) {
        let _ = HERE.set(b.to_string());
    }
}

/// One change a reviewer makes to one claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub claim: ClaimId,
    /// The reviewer's name, as it goes into history.
    pub by: String,
    /// RFC 3339, UTC.
    pub at: String,
    pub edit: Edit,
    /// The claim as the reviewer saw it; `None` applies regardless (the
    /// command line's `set` is explicit, and says what it replaced).
    pub seen: Option<Seen>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Set the status; a note replaces the claim's note, evidence is added to its set.
    Status {
        status: Status,
        note: Option<String>,
        evidence: Vec<String>,
    },
    /// Replace the note (empty removes it); the status stays.
    Note(String),
    /// Replace the English translation (empty: pending again).
    Translation(String),
    /// Add and remove evidence URLs; the rest of the set is left alone.
    Evidence {
        add: Vec<String>,
        remove: Vec<String>,
    },
    /// Put back `to` in each part of the review where `from` and `to`
    /// differ, provided the claim still holds `from` there: undo (and redo)
    /// of one change, which must not undo anyone else's.
    Restore {
        from: Box<Review>,
        to: Box<Review>,
        undo: bool,
    },
    /// Triage of a candidate `claimdesk import` proposed.
    Triage(Triage),
    /// Put back a rejected candidate, as it was, at its place in `file`
    /// (the undo of a reject: the claim is no longer there to find it by).
    Reinstate {
        claim: Box<Claim>,
        index: usize,
        file: std::sync::Arc<std::path::Path>,
    },
}

/// What a reviewer decides about a candidate claim.
#[derive(Debug, Clone, PartialEq)]
pub enum Triage {
    /// It is a claim to review: the `candidate` mark goes.
    Accept,
    /// It is not a claim: it leaves the file, and the file's `rejected:`
    /// log keeps its id, text, who and when.
    Reject,
    /// Its wording, widened or narrowed (verbatim from its paragraph).
    Text(String),
    /// Who said it; `define` holds the definitions the file needs if it
    /// lacks them (a new source, or another article's and its parents).
    Source { id: SourceId, define: Vec<Source> },
    /// It says what that claim says: added to its `same_as` list.
    Link(ClaimId),
}

impl Triage {
    /// The key its history entry carries, saying what happened.
    fn said(&self) -> &'static str {
        match self {
            Triage::Accept => "accepted",
            Triage::Reject => "rejected",
            Triage::Text(_) => "text changed",
            Triage::Source { .. } => "source changed",
            Triage::Link(_) => "linked",
        }
    }
}

/// What a reviewer saw of a claim when they decided on a change.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    pub status: Status,
    pub note: Option<String>,
    pub translation: String,
    /// History entries then: the ones after are what changed since.
    pub history: usize,
}

impl Seen {
    pub fn of(c: &Claim) -> Seen {
        Seen {
            status: c.status,
            note: c.note.clone(),
            translation: c.translation.clone(),
            history: c.history.len(),
        }
    }
}

/// The parts of a claim a review changes: what an undo puts back.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub status: Status,
    pub note: Option<String>,
    pub evidence: Vec<String>,
    pub translation: String,
    /// What triage decides: the wording, who said it, whether it is still
    /// a candidate, and the claims it is the same as.
    pub text: String,
    pub source: SourceId,
    pub candidate: bool,
    pub same_as: Vec<ClaimId>,
}

impl Review {
    pub fn of(c: &Claim) -> Review {
        Review {
            status: c.status,
            note: c.note.clone(),
            evidence: c.evidence.clone(),
            translation: c.translation.clone(),
            text: c.text.clone(),
            source: c.source.clone(),
            candidate: c.is_candidate(),
            same_as: c.ids_under(SAME_AS),
        }
    }

    /// What differs from `other`, in words: "status", "note", "evidence",
    /// "translation".
    pub fn differences(&self, other: &Review) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.status != other.status {
            out.push("status");
        }
        if self.note != other.note {
            out.push("note");
        }
        if !same_set(&self.evidence, &other.evidence) {
            out.push("evidence");
        }
        if self.translation != other.translation {
            out.push("translation");
        }
        if self.text != other.text {
            out.push("text");
        }
        if self.source != other.source {
            out.push("source");
        }
        if self.candidate != other.candidate {
            out.push("candidate");
        }
        if self.same_as != other.same_as {
            out.push("same_as");
        }
        out
    }
}

fn same_set(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

/// Someone else changed the claim since the reviewer saw it (or since the
/// change an undo would take back). Nothing was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub claim: ClaimId,
    /// What the refused change was about: "status", "note" or "undo".
    pub what: &'static str,
    /// The claim as it is on disk now.
    pub current: Claim,
    /// The history entries added since the reviewer looked.
    pub since: Vec<HistoryEntry>,
}

impl Conflict {
    /// The newest entry since, by whom and what it did: "bob set it to
    /// false at 2026-11-30T10:02:11Z"; a hand edit when history says nothing.
    pub fn who(&self) -> String {
        match self.since.last() {
            Some(h) => {
                let did = if h.status != h.previous() {
                    format!("set it to {}", h.status)
                } else if h.note.is_some() {
                    "changed its note".to_string()
                } else {
                    "changed it".to_string()
                };
                format!("{} {did} at {}", h.by, h.at)
            }
            None => "someone edited the file by hand".to_string(),
        }
    }
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} changed since you looked ({}); nothing was changed",
            self.claim,
            self.who()
        )
    }
}

/// The key of a history entry that set a claim's translation.
pub const TRANSLATION: &str = "translation";

/// The longest note the desk keeps: pages of text, far from the file limit.
pub const MAX_NOTE: usize = 64 * 1024;

/// What makes `edit` impossible whatever the claim holds: a note too long,
/// evidence that is not a web address.
pub(super) fn refused(edit: &Edit) -> Option<String> {
    let (note, urls): (Option<&str>, &[String]) = match edit {
        Edit::Status { note, evidence, .. } => (note.as_deref(), evidence),
        Edit::Note(note) | Edit::Translation(note) => (Some(note), &[]),
        Edit::Evidence { add, .. } => (None, add),
        Edit::Restore { .. } | Edit::Triage(_) | Edit::Reinstate { .. } => (None, &[]),
    };
    if let Some(n) = note
        && n.len() > MAX_NOTE
    {
        return Some(format!(
            "the note is {} KiB, over the {} KiB a note may hold; keep the long text \
             elsewhere and link it as evidence",
            n.len() / 1024,
            MAX_NOTE / 1024
        ));
    }
    urls.iter().find_map(|u| {
        crate::text::url_problem(u).map(|why| {
            format!(
                "evidence `{}` {why}; give an http:// or https:// address",
                crate::text::truncate(&crate::text::sanitize(u), 80)
            )
        })
    })
}

/// Whether `change` may land on `claim` as it is now.
pub(super) fn check(claim: &Claim, change: &Change) -> Result<(), Box<Conflict>> {
    let conflict = |what: &'static str, since: usize| {
        Box::new(Conflict {
            claim: claim.id.clone(),
            what,
            current: claim.clone(),
            since: claim.history.get(since..).unwrap_or_default().to_vec(),
        })
    };
    if let Edit::Restore { from, to, .. } = &change.edit {
        // Only the parts this change touched must still be as it left them.
        let now = Review::of(claim);
        let touched = from.differences(to);
        let held = now.differences(from);
        if touched.iter().any(|t| held.contains(t)) {
            // Say who changed it since the entry that `from` came from.
            let since = claim
                .history
                .iter()
                .rposition(|h| h.by == change.by)
                .map_or(0, |i| i + 1);
            return Err(conflict("undo", since));
        }
        return Ok(());
    }
    let Some(seen) = &change.seen else {
        return Ok(());
    };
    match &change.edit {
        Edit::Status { .. } if claim.status != seen.status => Err(conflict("status", seen.history)),
        Edit::Note(_) if claim.note != seen.note => Err(conflict("note", seen.history)),
        Edit::Translation(_) if claim.translation != seen.translation => {
            Err(conflict("translation", seen.history))
        }
        // Someone else triaged or reviewed it since: look again first.
        Edit::Triage(_) if claim.history.len() != seen.history => {
            Err(conflict("candidate", seen.history))
        }
        _ => Ok(()),
    }
}

/// Add `other` to `claim`'s `same_as` (one id stays a string; more, a list).
fn link(claim: &mut Claim, other: &ClaimId) {
    let mut ids = claim.ids_under(SAME_AS);
    if !ids.contains(other) {
        ids.push(other.clone());
    }
    set_links(claim, &ids);
}

/// `claim`'s `same_as` made `ids` (none: the key goes).
fn set_links(claim: &mut Claim, ids: &[ClaimId]) {
    use serde_yaml::Value;
    if ids.is_empty() {
        claim.extra.remove(SAME_AS);
        return;
    }
    let mut ids: Vec<Value> = ids
        .iter()
        .map(|id| Value::String(id.0.to_string()))
        .collect();
    let value = match ids.len() {
        1 => ids.remove(0),
        _ => Value::Sequence(ids),
    };
    claim.extra.insert(SAME_AS.into(), value);
}

/// Land `change` on `claim`, with its history entry.
pub(super) fn apply(claim: &mut Claim, change: &Change) {
    let previous = claim.status;
    let mut entry = HistoryEntry {
        at: change.at.clone(),
        by: change.by.clone(),
        status: previous,
        previous: Some(previous),
        note: None,
        evidence: Vec::new(),
        evidence_removed: Vec::new(),
        undo: false,
        extra: Default::default(),
    };
    if let Some(here) = HERE.get() {
        entry.extra.insert(
            serde_yaml::Value::String(BUREAU.into()),
            serde_yaml::Value::String(here.clone()),
        );
    }
    match &change.edit {
        Edit::Status {
            status,
            note,
            evidence,
        } => {
            claim.status = *status;
            entry.status = *status;
            if let Some(n) = note {
                claim.note = non_empty(n);
                entry.note = Some(n.clone());
            }
            entry.evidence = add_evidence(claim, evidence);
        }
        Edit::Note(note) => {
            claim.note = non_empty(note);
            entry.note = Some(note.clone());
        }
        Edit::Translation(t) => {
            claim.translation = t.trim().to_string();
            entry.extra.insert(
                serde_yaml::Value::String(TRANSLATION.into()),
                serde_yaml::Value::String(claim.translation.clone()),
            );
        }
        Edit::Evidence { add, remove } => match (add.as_slice(), remove.as_slice()) {
            // One URL corrected: it keeps its place in the list.
            ([new], [old]) if claim.evidence.contains(old) && !claim.evidence.contains(new) => {
                for e in claim.evidence.iter_mut().filter(|e| *e == old) {
                    *e = new.clone();
                }
                entry.evidence = vec![new.clone()];
                entry.evidence_removed = vec![old.clone()];
            }
            _ => {
                entry.evidence = add_evidence(claim, add);
                entry.evidence_removed = remove_evidence(claim, remove);
            }
        },
        Edit::Restore { from, to, undo } => {
            let touched = from.differences(to);
            if touched.contains(&"status") {
                claim.status = to.status;
                entry.status = to.status;
            }
            if touched.contains(&"note") {
                claim.note = to.note.clone();
                entry.note = Some(to.note.clone().unwrap_or_default());
            }
            if touched.contains(&"translation") {
                claim.translation = to.translation.clone();
                entry.extra.insert(
                    serde_yaml::Value::String(TRANSLATION.into()),
                    serde_yaml::Value::String(to.translation.clone()),
                );
            }
            // Triage taken back (or made again): each part it touched.
            let mut triaged = Vec::new();
            if touched.contains(&"text") {
                claim.text = to.text.clone();
                triaged.push("wording");
            }
            if touched.contains(&"source") {
                claim.source = to.source.clone();
                triaged.push("source");
            }
            if touched.contains(&"candidate") {
                claim.set_candidate(to.candidate);
                triaged.push(if to.candidate {
                    "candidate again"
                } else {
                    "accepted"
                });
            }
            if touched.contains(&"same_as") {
                set_links(claim, &to.same_as);
                triaged.push("links");
            }
            if !triaged.is_empty() {
                entry.extra.insert(
                    serde_yaml::Value::String("triage".into()),
                    serde_yaml::Value::String(triaged.join(", ")),
                );
            }
            if touched.contains(&"evidence") {
                let gone: Vec<String> = (from.evidence.iter())
                    .filter(|e| !to.evidence.contains(e))
                    .cloned()
                    .collect();
                let back: Vec<String> = (to.evidence.iter())
                    .filter(|e| !from.evidence.contains(e))
                    .cloned()
                    .collect();
                entry.evidence_removed = remove_evidence(claim, &gone);
                entry.evidence = add_evidence(claim, &back);
            }
            entry.undo = *undo;
        }
        // The claim is back in its file (`save` put it there): say so.
        Edit::Reinstate { .. } => {
            entry.undo = true;
            entry.extra.insert(
                serde_yaml::Value::String("triage".into()),
                serde_yaml::Value::String("rejection undone".into()),
            );
        }
        Edit::Triage(t) => {
            match t {
                Triage::Accept => claim.set_candidate(false),
                Triage::Text(text) => claim.text = text.clone(),
                Triage::Source { id, .. } => claim.source = id.clone(),
                Triage::Link(other) => link(claim, other),
                // The claim leaves the file: `Desk::apply` logs it.
                Triage::Reject => {}
            }
            entry.extra.insert(
                serde_yaml::Value::String("triage".into()),
                serde_yaml::Value::String(t.said().into()),
            );
        }
    }
    claim.history.push(entry);
}

/// Add the URLs the claim does not have yet; the ones added.
fn add_evidence(claim: &mut Claim, urls: &[String]) -> Vec<String> {
    let mut added = Vec::new();
    for e in urls {
        if !claim.evidence.contains(e) && !added.contains(e) {
            claim.evidence.push(e.clone());
            added.push(e.clone());
        }
    }
    added
}

/// Remove the URLs the claim has; the ones removed.
fn remove_evidence(claim: &mut Claim, urls: &[String]) -> Vec<String> {
    let removed: Vec<String> = urls
        .iter()
        .filter(|e| claim.evidence.contains(e))
        .cloned()
        .collect();
    claim.evidence.retain(|e| !removed.contains(e));
    removed
}

fn non_empty(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.to_string())
}
