//! One reviewer's session on the desk: the loaded claims, what derives from
//! them, who is reviewing and what they may do, and their undo. Every change
//! to the desk goes through here, so this is the seam where another store
//! (a remote desk, say) could later go.

use std::fmt;
use std::sync::Arc;

use crate::model::{Claim, ClaimId, Scale};
use crate::query::{Catalog, Delta, Filter, Hub, Searcher, View};
use crate::store::{
    Change, ClaimRef, Conflict, Desk, Edit, Review, Seen, StoreError, Triage, now_rfc3339,
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
    /// A rejected candidate: the claim as it was, its place and its file,
    /// for the undo to put it back.
    pub rejected: Option<Rejected>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    pub claim: Box<Claim>,
    pub index: usize,
    pub file: Arc<std::path::Path>,
}

/// What one key did: one change, or one to each of several claims (a
/// bulk mark). Undone and redone whole.
pub type Step = Vec<Done>;

/// What a session took in to catch up with the hub: the view it showed
/// before, and the deltas from there (`None`: too many to have been kept;
/// lists are computed anew).
pub struct CaughtUp {
    pub before: Arc<View>,
    pub deltas: Option<Vec<Delta>>,
}

pub struct Session {
    hub: Hub,
    /// The desk as this session shows it: the hub's view when it last caught up.
    view: Arc<View>,
    searcher: Searcher,
    reviewer: Option<String>,
    read_only: Option<String>,
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// While a key changes several claims: their changes, one step.
    gathering: Option<Step>,
}

impl Session {
    /// A session on `desk`, alone in its hub (no watcher: `CheckDisk`
    /// looks at the disk). Tests and one-off desks.
    pub fn new(desk: Desk, reviewer: Option<String>) -> Session {
        Session::on(Hub::new(desk), reviewer)
    }

    /// A session on the process's desk: every session of a server shares it.
    pub fn on(hub: Hub, reviewer: Option<String>) -> Session {
        Session {
            view: hub.view(),
            hub,
            searcher: Searcher::default(),
            reviewer,
            read_only: None,
            undo: Vec::new(),
            redo: Vec::new(),
            gathering: None,
        }
    }

    /// This reviewer may look but not change anything; `why` says so.
    pub fn read_only(mut self, why: impl Into<String>) -> Session {
        self.read_only = Some(why.into());
        self
    }

    pub fn hub(&self) -> &Hub {
        &self.hub
    }

    pub fn view(&self) -> &View {
        &self.view
    }

    pub fn desk(&self) -> &Desk {
        &self.view.desk
    }

    pub fn catalog(&self) -> &Catalog {
        &self.view.catalog
    }

    pub fn scale(&self) -> &Scale {
        &self.view.desk.settings.rating_scale
    }

    pub fn reviewer(&self) -> Option<&str> {
        self.reviewer.as_deref()
    }

    pub fn claim(&self, at: ClaimRef) -> Option<&Claim> {
        self.view.desk.get(at)
    }

    /// The claims that pass `filter`, written over `out` (see
    /// `Searcher::filter_into`).
    pub fn filter_into(&mut self, filter: &Filter, out: &mut Vec<ClaimRef>) {
        let view = &self.view;
        (self.searcher).filter_into(&view.desk, &view.catalog, filter, out);
    }

    /// The reviewer stopped typing a search: what was kept for the next
    /// key can go (a server holds dozens of sessions).
    pub fn search_done(&mut self) {
        self.searcher.forget();
    }

    /// Those of `claims` that pass `filter`.
    pub fn filter_among(&self, filter: &Filter, claims: &[ClaimRef]) -> Vec<ClaimRef> {
        let view = &self.view;
        (self.searcher).filter_among(&view.desk, &view.catalog, filter, claims)
    }

    /// `claims` in `sort` order.
    pub fn sort(&self, claims: &mut [ClaimRef], sort: crate::query::Sort) {
        self.view.catalog.sort(&self.view.desk, claims, sort);
    }

    /// Whether a claim still waits for a verdict.
    pub fn to_do(&self, at: ClaimRef) -> bool {
        (self.desk().head(at)).is_some_and(|c| !self.scale().is_verdict(c.status))
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
    /// changed since is not replaced (the error says who; once the session
    /// catches up, the desk shows their change).
    pub fn change(
        &mut self,
        id: &ClaimId,
        edit: Edit,
        seen: Option<Seen>,
    ) -> Result<Done, ChangeError> {
        let before = self.claim_by_id(id).ok_or(ChangeError::NoClaim)?;
        let before = Review::of(before);
        self.save(id, edit, seen)?;
        let view = self.hub.view();
        let now = view.desk.find(id).and_then(|r| view.desk.get(r));
        let after = Review::of(now.ok_or(ChangeError::NoClaim)?);
        let done = Done {
            claim: id.clone(),
            before,
            after,
            rejected: None,
        };
        self.remember(done.clone());
        Ok(done)
    }

    /// Put `done` on the undo stack: a step of its own, or part of the
    /// step being gathered.
    fn remember(&mut self, done: Done) {
        match &mut self.gathering {
            Some(step) => step.push(done),
            None => self.undo.push(vec![done]),
        }
        self.redo.clear();
    }

    /// From here to `end_step`, the changes saved are one undo step (a
    /// bulk mark). What it returns goes to `end_step`.
    pub fn begin_step(&mut self) -> Option<Step> {
        self.gathering.replace(Vec::new())
    }

    /// The step begun with `begin_step` (which returned `outer`) is complete.
    pub fn end_step(&mut self, outer: Option<Step>) {
        let step = std::mem::replace(&mut self.gathering, outer).unwrap_or_default();
        if !step.is_empty() {
            match &mut self.gathering {
                Some(outer) => outer.extend(step),
                None => self.undo.push(step),
            }
        }
    }

    /// Take back my last step, one per call, only while its claims still
    /// hold it: a change someone made since is never undone. The undo is
    /// itself recorded in history. A step refused (someone changed its
    /// claim since) stays on the stack, to be undone when they undo
    /// theirs. `None`: nothing to undo.
    pub fn undo(&mut self) -> Result<Option<Step>, ChangeError> {
        self.may_change()?;
        let Some(last) = self.undo.pop() else {
            return Ok(None);
        };
        let (done, failed) = self.replay(last, true);
        if !done.is_empty() {
            self.redo.push(done.clone());
        }
        match failed {
            Some((left, e)) => {
                self.undo.push(left);
                Err(e)
            }
            None => Ok(Some(done)),
        }
    }

    /// Make again the step the last undo took back, while its claims still
    /// hold what the undo left. `None`: nothing to redo.
    pub fn redo(&mut self) -> Result<Option<Step>, ChangeError> {
        self.may_change()?;
        let Some(last) = self.redo.pop() else {
            return Ok(None);
        };
        let (done, failed) = self.replay(last, false);
        if !done.is_empty() {
            self.undo.push(done.clone());
        }
        match failed {
            Some((left, e)) => {
                self.redo.push(left);
                Err(e)
            }
            None => Ok(Some(done)),
        }
    }

    /// Undo (or redo) each change of `step`, the last first: the ones that
    /// landed, and the ones that did not with the first error.
    fn replay(&mut self, step: Step, undo: bool) -> (Step, Option<(Step, ChangeError)>) {
        let mut done = Vec::new();
        let mut left = Vec::new();
        let mut error = None;
        for d in step.into_iter().rev() {
            match self.replay_one(&d, undo) {
                Ok(()) => done.push(d),
                Err(e) => {
                    error.get_or_insert(e);
                    left.push(d);
                }
            }
        }
        done.reverse();
        left.reverse();
        (done, error.map(|e| (left, e)))
    }

    fn replay_one(&mut self, d: &Done, undo: bool) -> Result<(), ChangeError> {
        let edit = match (&d.rejected, undo) {
            (Some(r), true) => Edit::Reinstate {
                claim: r.claim.clone(),
                index: r.index,
                file: Arc::clone(&r.file),
            },
            (Some(_), false) => Edit::Triage(Triage::Reject),
            (None, true) => Edit::Restore {
                from: Box::new(d.after.clone()),
                to: Box::new(d.before.clone()),
                undo: true,
            },
            (None, false) => Edit::Restore {
                from: Box::new(d.before.clone()),
                to: Box::new(d.after.clone()),
                undo: false,
            },
        };
        self.save(&d.claim, edit, None)
    }

    /// Triage candidate `id` (accept, reject, reword, reattribute, link),
    /// durably, now: one undo step like any change; the undo of a reject
    /// puts the claim back where it was.
    pub fn triage(&mut self, id: &ClaimId, t: Triage, seen: Seen) -> Result<(), ChangeError> {
        let at = self.desk().find(id).ok_or(ChangeError::NoClaim)?;
        let claim = self.desk().get(at).ok_or(ChangeError::NoClaim)?;
        let before = Review::of(claim);
        let rejected = matches!(t, Triage::Reject).then(|| Rejected {
            claim: Box::new(claim.clone()),
            index: at.claim(),
            file: Arc::clone(&self.desk().files[at.file()].path),
        });
        self.save(id, Edit::Triage(t), Some(seen))?;
        let after = match &rejected {
            Some(_) => before.clone(),
            None => {
                let view = self.hub.view();
                let now = view.desk.find(id).and_then(|r| view.desk.get(r));
                Review::of(now.ok_or(ChangeError::NoClaim)?)
            }
        };
        self.remember(Done {
            claim: id.clone(),
            before,
            after,
            rejected,
        });
        Ok(())
    }

    fn claim_by_id(&self, id: &ClaimId) -> Option<&Claim> {
        self.desk().get(self.desk().find(id)?)
    }

    /// Through the hub: the new version of the claim's file (or, refused,
    /// the version on disk) is published for every session, this one
    /// included, which takes it in when it next catches up.
    fn save(&mut self, id: &ClaimId, edit: Edit, seen: Option<Seen>) -> Result<(), ChangeError> {
        let by = self.may_change()?.to_string();
        let change = Change {
            claim: id.clone(),
            by,
            at: now_rfc3339(),
            edit,
            seen,
        };
        self.hub.save(&change).map(drop).map_err(ChangeError::Store)
    }

    /// Whether the hub has published views this session has not taken in.
    pub fn behind(&self) -> bool {
        self.hub.version() != self.view.version
    }

    /// Take in what the hub published since this session's view.
    pub fn catch_up(&mut self) -> Option<CaughtUp> {
        if !self.behind() {
            return None;
        }
        let changes = self.hub.changes_since(self.view.version);
        let before = std::mem::replace(&mut self.view, changes.view);
        self.searcher.clear();
        Some(CaughtUp {
            before,
            deltas: changes.deltas,
        })
    }

    /// Look at the disk now (a hub without a watcher looks only when asked).
    pub fn check_disk(&mut self) {
        self.hub.check_disk();
    }

    /// While the desk's files are still arriving: how many have, of how many.
    pub fn loading(&self) -> Option<(usize, usize)> {
        self.view.loading
    }

    /// How the last sync with other bureaus went, when the desk syncs.
    pub fn synced(&self) -> Option<&crate::query::Synced> {
        self.view.synced.as_ref()
    }

    /// Claim `at` as text to paste elsewhere, with a one-line citation.
    pub fn citation(&self, at: ClaimRef) -> Option<String> {
        let c = self.desk().get(at)?;
        let a = &self.desk().doc(at)?.article;
        Some(format!(
            "{}\n{}\nSource: {}\nStatus: {}\n{}, \"{}\", {}, {} (claim {})",
            c.text,
            c.translation_or_pending(),
            self.catalog().tree().name(&c.source),
            c.status,
            a.outlet,
            a.english_title(),
            a.published.get(..10).unwrap_or(&a.published),
            c.place(),
            c.id
        ))
    }
}
