//! One reviewer's session on the desk: the loaded claims, what derives from
//! them, who is reviewing and what they may do, and their undo. Every change
//! to the desk goes through here, so this is the seam where another store
//! (a remote desk, say) could later go.

use std::fmt;

use crate::model::{Claim, ClaimId, Scale};
use crate::query::{Catalog, Filter, SearchIndex};
use crate::store::{
    Arrival, Change, ClaimRef, Conflict, Desk, Edit, Review, Seen, StoreError, Triage, now_rfc3339,
};

/// Why a change was not made. Nothing on disk changed.
#[derive(Debug)]
pub enum ChangeError {
    /// The reviewer may look but not change (why).
    ReadOnly(String),
    /// Changes are signed in history, and we do not know by whom.
    NoReviewer,
    NoClaim,
    Store(StoreError),
}

impl fmt::Display for ChangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChangeError::ReadOnly(why) => write!(f, "read-only: {why}; nothing was changed"),
            ChangeError::NoReviewer => f.write_str(
                "cannot tell who you are, so nothing was changed: start the desk with \
                 --reviewer NAME or set CLAIMDESK_REVIEWER",
            ),
            ChangeError::NoClaim => f.write_str("no claim selected"),
            ChangeError::Store(e) => write!(f, "not saved: {e}"),
        }
    }
}

impl ChangeError {
    /// The conflict, when someone else changed the claim since.
    pub fn conflict(&self) -> Option<&Conflict> {
        match self {
            ChangeError::Store(StoreError::Conflict(c)) => Some(c),
            _ => None,
        }
    }
}

/// One change of mine: the claim's review before and after it. Undo puts
/// `before` back (where the claim still holds `after`), redo `after`.
#[derive(Debug, Clone, PartialEq)]
pub struct Done {
    pub claim: ClaimId,
    pub before: Review,
    pub after: Review,
}

/// What a look at the disk found.
#[derive(Debug, Default)]
pub struct Reload {
    pub changed: bool,
    /// A file that changed but does not load (it keeps its last good copy).
    pub problem: Option<String>,
}

pub struct Session {
    desk: Desk,
    catalog: Catalog,
    reviewer: Option<String>,
    read_only: Option<String>,
    undo: Vec<Done>,
    redo: Vec<Done>,
    /// How many times we looked for others' changes.
    disk_checks: u32,
}

impl Session {
    /// A session on `desk`; its search index is folded in the background.
    pub fn new(desk: Desk, reviewer: Option<String>) -> Session {
        let catalog = Catalog::new(&desk);
        Session::with_catalog(desk, catalog, reviewer)
    }

    /// A session whose search index starts from a server's shared one.
    pub fn with_index(desk: Desk, index: SearchIndex, reviewer: Option<String>) -> Session {
        let catalog = Catalog::with_index(&desk, index);
        Session::with_catalog(desk, catalog, reviewer)
    }

    fn with_catalog(desk: Desk, catalog: Catalog, reviewer: Option<String>) -> Session {
        Session {
            desk,
            catalog,
            reviewer,
            read_only: None,
            undo: Vec::new(),
            redo: Vec::new(),
            disk_checks: 0,
        }
    }

    /// This reviewer may look but not change anything; `why` says so.
    pub fn read_only(mut self, why: impl Into<String>) -> Session {
        self.read_only = Some(why.into());
        self
    }

    pub fn desk(&self) -> &Desk {
        &self.desk
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub fn scale(&self) -> &Scale {
        &self.desk.settings.rating_scale
    }

    pub fn reviewer(&self) -> Option<&str> {
        self.reviewer.as_deref()
    }

    pub fn claim(&self, at: ClaimRef) -> Option<&Claim> {
        self.desk.get(at)
    }

    /// The claims that pass `filter`, written over `out` (see
    /// `Catalog::filter_into`).
    pub fn filter_into(&mut self, filter: &Filter, out: &mut Vec<ClaimRef>) {
        self.catalog.filter_into(&self.desk, filter, out);
    }

    /// The reviewer stopped typing a search: what was kept for the next
    /// key can go (a server holds dozens of sessions).
    pub fn search_done(&mut self) {
        self.catalog.forget_searches();
    }

    /// Those of `claims` that pass `filter`.
    pub fn filter_among(&mut self, filter: &Filter, claims: &[ClaimRef]) -> Vec<ClaimRef> {
        self.catalog.filter_among(&self.desk, filter, claims)
    }

    /// `claims` in `sort` order.
    pub fn sort(&self, claims: &mut [ClaimRef], sort: crate::query::Sort) {
        self.catalog.sort(&self.desk, claims, sort);
    }

    /// Whether a claim still waits for a verdict.
    pub fn to_do(&self, at: ClaimRef) -> bool {
        self.claim(at)
            .is_some_and(|c| !self.scale().is_verdict(c.status))
    }

    /// Whether this session may change claims, and if not, why.
    pub fn may_change(&self) -> Result<&str, ChangeError> {
        if let Some(why) = &self.read_only {
            return Err(ChangeError::ReadOnly(why.clone()));
        }
        self.reviewer.as_deref().ok_or(ChangeError::NoReviewer)
    }

    /// Save one edit of claim `id` durably, now, and remember it for undo.
    /// `seen` is the claim as the reviewer saw it: a status or note someone
    /// changed since is not replaced (the error says who, and the desk now
    /// shows their change).
    pub fn change(
        &mut self,
        id: &ClaimId,
        edit: Edit,
        seen: Option<Seen>,
    ) -> Result<Done, ChangeError> {
        let before = self.claim_by_id(id).ok_or(ChangeError::NoClaim)?;
        let before = Review::of(before);
        self.save(id, edit, seen)?;
        let after = Review::of(self.claim_by_id(id).ok_or(ChangeError::NoClaim)?);
        let done = Done {
            claim: id.clone(),
            before,
            after,
        };
        self.undo.push(done.clone());
        self.redo.clear();
        Ok(done)
    }

    /// Take back my last change, one step per call, only while its claim
    /// still holds it: a change someone made since is never undone. The undo
    /// is itself recorded in history. `None`: nothing to undo.
    pub fn undo(&mut self) -> Result<Option<Done>, ChangeError> {
        self.may_change()?;
        let Some(last) = self.undo.pop() else {
            return Ok(None);
        };
        let edit = Edit::Restore {
            from: last.after.clone(),
            to: last.before.clone(),
            undo: true,
        };
        match self.save(&last.claim, edit, None) {
            Ok(()) => {
                self.redo.push(last.clone());
                Ok(Some(last))
            }
            // Not ours to undo any more: it stays off the stack.
            Err(e @ ChangeError::Store(StoreError::Conflict(_))) => Err(e),
            Err(e) => {
                self.undo.push(last);
                Err(e)
            }
        }
    }

    /// Make again the change the last undo took back, while its claim still
    /// holds what the undo left. `None`: nothing to redo.
    pub fn redo(&mut self) -> Result<Option<Done>, ChangeError> {
        self.may_change()?;
        let Some(last) = self.redo.pop() else {
            return Ok(None);
        };
        let edit = Edit::Restore {
            from: last.before.clone(),
            to: last.after.clone(),
            undo: false,
        };
        match self.save(&last.claim, edit, None) {
            Ok(()) => {
                self.undo.push(last.clone());
                Ok(Some(last))
            }
            Err(e @ ChangeError::Store(StoreError::Conflict(_))) => Err(e),
            Err(e) => {
                self.redo.push(last);
                Err(e)
            }
        }
    }

    /// Triage candidate `id` (accept, reject, reword, reattribute), durably,
    /// now. Not on the undo stack: a rejected candidate is in the file's
    /// `rejected:` log, and any other triage is one key to change again.
    pub fn triage(&mut self, id: &ClaimId, t: Triage, seen: Seen) -> Result<(), ChangeError> {
        self.save(id, Edit::Triage(t), Some(seen))
    }

    fn claim_by_id(&self, id: &ClaimId) -> Option<&Claim> {
        self.desk.get(self.desk.find(id)?)
    }

    fn save(&mut self, id: &ClaimId, edit: Edit, seen: Option<Seen>) -> Result<(), ChangeError> {
        let by = self.may_change()?.to_string();
        let change = Change {
            claim: id.clone(),
            by,
            at: now_rfc3339(),
            edit,
            seen,
        };
        let file = self.desk.find(id).map(|at| at.file);
        let applied = self.desk.apply(&change).map(|_| ());
        // The save (or the refusal) re-read the claim's file: others' changes
        // in it arrive too (and the claim may be gone: a rejected candidate).
        if matches!(applied, Ok(()) | Err(StoreError::Conflict(_)))
            && let Some(file) = file
        {
            self.catalog.saved(&self.desk, file);
        }
        applied.map_err(ChangeError::Store)
    }

    /// Look for other reviewers' changes: one stat of the directory each
    /// time, and every tenth time a stat of each file too, for editors that
    /// write in place (a directory change is seen at once).
    pub fn look_for_changes(&mut self) -> Reload {
        self.disk_checks = self.disk_checks.wrapping_add(1);
        let hinted = self.desk.dir_changed();
        if !(hinted || self.disk_checks.is_multiple_of(10)) || !self.desk.changed_on_disk() {
            return Reload::default();
        }
        self.reload()
    }

    /// Reload now if any file changed on disk (another session saved, say).
    pub fn reload_now(&mut self) -> Reload {
        if !self.desk.changed_on_disk() {
            return Reload::default();
        }
        let _ = self.desk.dir_changed();
        self.reload()
    }

    fn reload(&mut self) -> Reload {
        let outcome = self.desk.refresh();
        if outcome.changed {
            self.catalog.reloaded(&self.desk);
        }
        Reload {
            changed: outcome.changed,
            problem: outcome.problems.first().map(|p| p.to_string()),
        }
    }

    /// While the desk's files are still arriving: how many have, of how many.
    pub fn loading(&self) -> Option<(usize, usize)> {
        self.desk.loading()
    }

    /// Take in the claims files that arrived since the last look
    /// (progressive loading); `None` when none did.
    pub fn take_arrivals(&mut self) -> Option<Arrival> {
        let arrival = self.desk.absorb()?;
        if !arrival.files.is_empty() {
            self.catalog.arrived(&self.desk);
        }
        Some(arrival)
    }

    /// Claim `at` as text to paste elsewhere, with a one-line citation.
    pub fn citation(&self, at: ClaimRef) -> Option<String> {
        let c = self.desk.get(at)?;
        let a = &self.desk.doc(at)?.article;
        Some(format!(
            "{}\n{}\nSource: {}\nStatus: {}\n{}, \"{}\", {}, {} (claim {})",
            c.text,
            c.translation_or_pending(),
            self.catalog.tree().name(&c.source),
            c.status,
            a.outlet,
            a.english_title(),
            a.published.get(..10).unwrap_or(&a.published),
            c.place(),
            c.id
        ))
    }
}
