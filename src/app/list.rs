//! The claims list: the filter, the claims that pass it, and the selection.
//! It changes two ways only: the reviewer changes the filter or the order
//! (`refilter`), or the desk changed (`apply`, with the hub's deltas: a
//! save, a change on disk, an arriving file, a removal alike).

use std::collections::{BTreeSet, HashSet};

use super::session::Session;
use crate::model::ClaimId;
use crate::query::{Delta, Filter, Sort, View};
use crate::store::ClaimRef;

#[derive(Debug, Clone, Default)]
pub struct List {
    pub(in crate::app) filter: Filter,
    /// The claims that pass the filter, in the list's order.
    pub(in crate::app) visible: Vec<ClaimRef>,
    /// Index into `visible`.
    pub(in crate::app) selected: usize,
    /// The filter `visible` was computed with: the list can be mended file
    /// by file only while it still has it.
    pub(in crate::app) filtered_by: Option<Filter>,
    pub(in crate::app) sort: Sort,
    /// Claims selected with `v`: a digit marks them all.
    pub(in crate::app) marked: HashSet<ClaimId>,
    /// How often the list was computed whole, and mended by deltas.
    #[cfg(test)]
    pub(in crate::app) counted: (usize, usize),
}

impl List {
    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    pub fn visible(&self) -> &[ClaimRef] {
        &self.visible
    }

    /// Index of the selected claim in `visible`.
    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn selected_ref(&self) -> Option<ClaimRef> {
        self.visible.get(self.selected).copied()
    }

    pub fn sort(&self) -> Sort {
        self.sort
    }

    pub fn is_marked(&self, id: &ClaimId) -> bool {
        self.marked.contains(id)
    }

    pub fn marked_count(&self) -> usize {
        self.marked.len()
    }

    /// Put the cursor on claim `id`, clearing the filter when it hides the
    /// claim; whether the claim is on the desk.
    pub(in crate::app) fn go_to(&mut self, id: &ClaimId, session: &mut Session) -> bool {
        let Some(at) = session.desk().find(id) else {
            return false;
        };
        if let Some(i) = self.visible.iter().position(|r| *r == at) {
            self.selected = i;
            return true;
        }
        self.filter = Filter::default();
        self.refilter(session);
        match self.visible.iter().position(|r| *r == at) {
            Some(i) => {
                self.selected = i;
                true
            }
            None => false,
        }
    }

    /// Recompute the visible claims, keeping the selected claim selected
    /// when it still passes.
    pub(in crate::app) fn refilter(&mut self, session: &mut Session) {
        let keep_ref = self.selected_ref();
        let keep = keep_ref
            .and_then(|r| session.desk().head(r))
            .map(|c| c.id.clone());
        #[cfg(test)]
        {
            self.counted.0 += 1;
        }
        let mut visible = std::mem::take(&mut self.visible);
        session.filter_into(&self.filter, &mut visible);
        if self.sort != Sort::Desk {
            session.sort(&mut visible, self.sort);
        }
        self.visible = visible;
        self.filtered_by = Some(self.filter.clone());
        // The claim is at its place, shown or filtered out: a look at
        // places, not at claims (it matters at a million).
        let in_place =
            keep_ref.filter(|&at| session.desk().head(at).map(|c| &c.id) == keep.as_ref());
        let found = match in_place {
            Some(at) if self.sort == Sort::Desk => (self.visible)
                .binary_search_by_key(&(at.file(), at.claim()), |r| (r.file(), r.claim()))
                .ok(),
            Some(at) => self.visible.iter().position(|r| *r == at),
            None => keep.and_then(|id| {
                let at = session.desk().find(&id)?;
                self.visible.iter().position(|r| *r == at)
            }),
        };
        // The claim it was on, when still listed; else the top (a row
        // number of another list means nothing).
        self.selected = found.unwrap_or(0);
    }

    /// The desk went from `before` to the session's view by `deltas` (or,
    /// `None`, by more than were kept). Only the claims of the files that
    /// changed or came are filtered again; the rest keep their rows, their
    /// files renumbered. The cursor stays on its claim while it is listed,
    /// else on the row it had.
    pub(in crate::app) fn apply(
        &mut self,
        deltas: Option<&[Delta]>,
        before: &View,
        session: &mut Session,
    ) {
        let on = self
            .selected_ref()
            .and_then(|r| before.desk.head(r))
            .map(|c| c.id.clone());
        let patchable = self.sort == Sort::Desk && self.filtered_by.as_ref() == Some(&self.filter);
        let Some(deltas) = deltas.filter(|d| patchable && !d.contains(&Delta::Reset)) else {
            self.filtered_by = None;
            return self.refilter_to(session, on);
        };
        if self.mend_in_place(deltas, before, session) {
            return self.find(on, session);
        }
        let mut files = Renumbering::new(before.desk.files.len());
        for d in deltas {
            files.take(d);
        }
        if files.dirty.is_empty() && files.untouched() {
            return;
        }
        // The rows of files that stay as they were, renumbered.
        let kept = self.visible.iter().filter_map(|r| {
            let file = files.after(r.file())?;
            (!files.dirty.contains(&file)).then_some(ClaimRef::new(file, r.claim()))
        });
        let kept: Vec<ClaimRef> = kept.collect();
        // The claims of the files that changed or came, filtered.
        let claims: Vec<ClaimRef> = (files.dirty.iter())
            .flat_map(|&f| session.desk().refs_in(f..f + 1))
            .collect();
        let fresh = session.filter_among(&self.filter, &claims);
        self.visible = merge(kept, fresh);
        #[cfg(test)]
        {
            self.counted.1 += 1;
        }
        self.find(on, session);
    }

    /// The common deltas, at their own cost rather than the list's: files
    /// read again (a save: their rows, found by a binary search, replaced
    /// by their claims' hits now), or arriving at the end of the desk (their
    /// hits go after every row). False when the deltas are other ones (files
    /// came or went in the desk's middle): the caller renumbers.
    fn mend_in_place(&mut self, deltas: &[Delta], before: &View, session: &Session) -> bool {
        let mut end = before.desk.files.len();
        for d in deltas {
            match d {
                Delta::FileChanged { file, .. } if *file < end => {}
                Delta::FilesAdded { files, .. } if files.start == end => end = files.end,
                Delta::Cooled | Delta::Synced | Delta::Unreadable(_) => {}
                _ => return false,
            }
        }
        for d in deltas {
            match d {
                Delta::FileChanged { file, .. } => {
                    let from = self.visible.partition_point(|r| r.file() < *file);
                    let to = from + self.visible[from..].partition_point(|r| r.file() == *file);
                    let claims: Vec<ClaimRef> = session.desk().refs_in(*file..*file + 1).collect();
                    let hits = session.filter_among(&self.filter, &claims);
                    self.visible.splice(from..to, hits);
                }
                Delta::FilesAdded { files, .. } => {
                    let claims: Vec<ClaimRef> = session.desk().refs_in(files.clone()).collect();
                    let hits = session.filter_among(&self.filter, &claims);
                    self.visible.extend(hits);
                }
                _ => {}
            }
        }
        #[cfg(test)]
        {
            self.counted.1 += 1;
        }
        true
    }

    /// Compute the list anew, the cursor on claim `on` if it is listed.
    fn refilter_to(&mut self, session: &mut Session, on: Option<ClaimId>) {
        let row = self.selected;
        self.visible.clear();
        self.refilter(session);
        self.selected = row;
        self.find(on, session);
    }

    /// Put the cursor on claim `on` if it is listed, else keep its row.
    fn find(&mut self, on: Option<ClaimId>, session: &Session) {
        let here = on.and_then(|id| {
            let at = session.desk().find(&id)?;
            match self.sort {
                Sort::Desk => (self.visible)
                    .binary_search_by_key(&(at.file(), at.claim()), |r| (r.file(), r.claim()))
                    .ok(),
                _ => self.visible.iter().position(|r| *r == at),
            }
        });
        self.selected = here.unwrap_or(self.selected);
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
    }

    /// The desk changed under the list: compute it afresh, not from the last hits.
    pub(in crate::app) fn invalidate(&mut self) {
        self.filtered_by = None;
    }

    pub(in crate::app) fn move_by(&mut self, delta: isize) -> bool {
        let last = self.visible.len().saturating_sub(1);
        let next = self.selected.saturating_add_signed(delta).min(last);
        let moved = next != self.selected;
        self.selected = next;
        moved
    }
}

/// Two lists of claims in desk order, as one.
fn merge(a: Vec<ClaimRef>, b: Vec<ClaimRef>) -> Vec<ClaimRef> {
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if (x.file(), x.claim()) <= (y.file(), y.claim()) => a.next(),
            (_, Some(_)) => b.next(),
            (Some(_), None) => a.next(),
            (None, None) => return out,
        };
        out.extend(next);
    }
}

/// Where the files of the view a list was made from are after some
/// deltas, and which files (numbered after them) must be filtered again.
struct Renumbering {
    /// Each old file's number now, or `None` if it is gone.
    now: Vec<Option<usize>>,
    dirty: BTreeSet<usize>,
}

impl Renumbering {
    fn new(files: usize) -> Renumbering {
        Renumbering {
            now: (0..files).map(Some).collect(),
            dirty: BTreeSet::new(),
        }
    }

    fn untouched(&self) -> bool {
        self.now.iter().enumerate().all(|(i, n)| *n == Some(i))
    }

    fn after(&self, old: usize) -> Option<usize> {
        self.now.get(old).copied().flatten()
    }

    fn take(&mut self, delta: &Delta) {
        match delta {
            Delta::FileChanged { file, .. } => {
                self.dirty.insert(*file);
            }
            Delta::FilesAdded { .. } | Delta::FileRemoved { .. } => {
                for n in self.now.iter_mut() {
                    *n = n.and_then(|f| delta.file_after(f));
                }
                self.dirty = (self.dirty.iter())
                    .filter_map(|&f| delta.file_after(f))
                    .collect();
                if let Delta::FilesAdded { files, .. } = delta {
                    self.dirty.extend(files.clone());
                }
            }
            Delta::Reset | Delta::Unreadable(_) | Delta::Cooled | Delta::Synced => {}
        }
    }
}
