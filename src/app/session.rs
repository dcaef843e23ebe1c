//! One reviewer's session on the desk: the loaded claims, what derives from
//! them, who is reviewing and what they may do, and their undo. Every change
//! to the desk goes through here, so this is the seam where another store
//! (a remote desk, say) could later go.

use std::fmt;

use crate::model::{Claim, ClaimId, Scale, Status};
use crate::query::{Catalog, Filter, SearchIndex};
use crate::store::{Change, ClaimRef, Desk, Edit, StoreError, now_rfc3339};

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

/// One change of mine that `u` can take back: the claim as it was before.
#[derive(Debug, Clone)]
struct Undo {
    claim: ClaimId,
    status: Status,
    note: Option<String>,
}

/// What an undo put back.
#[derive(Debug, Clone, PartialEq)]
pub struct Undone {
    pub claim: ClaimId,
    pub status: Status,
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
    undo: Vec<Undo>,
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

    pub fn filter(
        &mut self,
        filter: &Filter,
        last: Option<(&Filter, &[ClaimRef])>,
    ) -> Vec<ClaimRef> {
        self.catalog.filter(&self.desk, filter, last)
    }

    /// Whether this session may change claims, and if not, why.
    pub fn may_change(&self) -> Result<&str, ChangeError> {
        if let Some(why) = &self.read_only {
            return Err(ChangeError::ReadOnly(why.clone()));
        }
        self.reviewer.as_deref().ok_or(ChangeError::NoReviewer)
    }

    /// Save one edit of claim `id` durably, now, and remember it for undo.
    pub fn change(&mut self, id: &ClaimId, edit: Edit) -> Result<&Claim, ChangeError> {
        let at = self.desk.find(id).ok_or(ChangeError::NoClaim)?;
        let before = self.desk.get(at).map(|c| Undo {
            claim: id.clone(),
            status: c.status,
            note: c.note.clone(),
        });
        self.save(id, edit)?;
        self.undo.extend(before);
        self.claim_by_id(id).ok_or(ChangeError::NoClaim)
    }

    /// Take back my last change: its claim gets the status and note it had
    /// before. The undo is itself recorded in history. `None`: nothing to undo.
    pub fn undo(&mut self) -> Result<Option<Undone>, ChangeError> {
        self.may_change()?;
        let Some(last) = self.undo.pop() else {
            return Ok(None);
        };
        let edit = Edit::Undo {
            status: last.status,
            note: last.note.clone(),
        };
        match self.save(&last.claim, edit) {
            Ok(()) => Ok(Some(Undone {
                claim: last.claim,
                status: last.status,
            })),
            Err(e) => {
                self.undo.push(last);
                Err(e)
            }
        }
    }

    fn claim_by_id(&self, id: &ClaimId) -> Option<&Claim> {
        self.desk.get(self.desk.find(id)?)
    }

    fn save(&mut self, id: &ClaimId, edit: Edit) -> Result<(), ChangeError> {
        let by = self.may_change()?.to_string();
        let change = Change {
            claim: id.clone(),
            by,
            at: now_rfc3339(),
            edit,
        };
        self.desk.apply(&change).map_err(ChangeError::Store)?;
        // The save re-read the claim's file: others' changes in it arrive too.
        if let Some(at) = self.desk.find(id) {
            self.catalog.saved(&self.desk, at.file);
        }
        Ok(())
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

    /// Claim `at` as text to paste elsewhere, with a one-line citation.
    pub fn citation(&self, at: ClaimRef) -> Option<String> {
        let c = self.desk.get(at)?;
        let a = &self.desk.doc(at)?.article;
        Some(format!(
            "{}\n{}\nSource: {}\nStatus: {}\n{}, \"{}\", {}, paragraph {} (claim {})",
            c.text,
            c.translation,
            self.catalog.tree().name(&c.source),
            c.status,
            a.outlet,
            a.title_en,
            a.published.get(..10).unwrap_or(&a.published),
            c.paragraph,
            c.id
        ))
    }
}
