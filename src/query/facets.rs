//! Each claim's source and status, packed in desk order, for the source and
//! status filters and the counts every frame shows.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::Filter;
use crate::model::{Scale, SourceId, Status};
use crate::store::{Chunked, ClaimRef, Desk};

/// Each claim's source and status, packed in desk order. A source or status
/// filter reads these few bytes a claim instead of chasing every claim
/// through the heap (at 100k claims that is the difference between a
/// cache miss per claim and a linear scan).
#[derive(Debug, Clone, Default)]
pub struct Facets {
    /// The distinct source ids, numbered by first appearance.
    sources: Vec<SourceId>,
    /// Each source id's number: shared between copies until one meets a
    /// source the others have not.
    numbers: Arc<HashMap<SourceId, u32>>,
    source_of: Chunked<u32>,
    /// Each claim's status as its number in `statuses`: 2 bytes a claim
    /// rather than 16 (a server holds a copy per session).
    status_of: Chunked<u16>,
    /// The distinct statuses, numbered by first appearance.
    statuses: Vec<Status>,
    /// Where each file's claims start.
    file_starts: Vec<usize>,
}

impl Facets {
    pub fn of(desk: &Desk) -> Facets {
        let mut f = Facets::default();
        f.add_files(desk);
        f
    }

    /// How many files these facets hold.
    pub fn files(&self) -> usize {
        self.file_starts.len()
    }

    /// Take in the files of `desk` that arrived since (appended after the
    /// ones these facets hold).
    pub fn add_files(&mut self, desk: &Desk) {
        for file in desk.files.iter().skip(self.file_starts.len()) {
            self.file_starts.push(self.source_of.len());
            for c in &file.head.claims {
                let n = self.number(&c.source);
                self.source_of.push(n);
                let st = self.status_number(c.status);
                self.status_of.push(st);
            }
        }
    }

    /// The number of `status` in `statuses`, numbering it if new (a scale
    /// has a handful; validation refuses any other).
    fn status_number(&mut self, status: Status) -> u16 {
        if let Some(n) = self.statuses.iter().position(|s| *s == status) {
            return n as u16;
        }
        self.statuses.push(status);
        (self.statuses.len() - 1) as u16
    }

    fn number(&mut self, id: &SourceId) -> u32 {
        if let Some(n) = self.numbers.get(id) {
            return *n;
        }
        let n = self.sources.len() as u32;
        self.sources.push(id.clone());
        Arc::make_mut(&mut self.numbers).insert(id.clone(), n);
        n
    }

    /// Take in file `fi` of `desk` again, read anew (a save, a change on
    /// disk); it may hold more or fewer claims than before.
    pub fn replace_file(&mut self, desk: &Desk, fi: usize) {
        let (Some(file), Some(range)) = (desk.files.get(fi), self.file_range(fi)) else {
            *self = Facets::of(desk);
            return;
        };
        let claims = &file.head.claims;
        let grew = claims.len() as isize - range.len() as isize;
        self.splice(range, claims);
        if grew != 0 {
            for start in &mut self.file_starts[fi + 1..] {
                *start = start.saturating_add_signed(grew);
            }
        }
    }

    /// Take in file `fi` of `desk`, new on disk: the files from `fi` on
    /// are numbered one more.
    pub fn insert_file(&mut self, desk: &Desk, fi: usize) {
        let Some(file) = desk.files.get(fi) else {
            return;
        };
        let at = self
            .file_starts
            .get(fi)
            .copied()
            .unwrap_or(self.source_of.len());
        let claims = &file.head.claims;
        self.splice(at..at, claims);
        self.file_starts.insert(fi.min(self.file_starts.len()), at);
        for start in self.file_starts.iter_mut().skip(fi + 1) {
            *start += claims.len();
        }
    }

    /// `claims` in place of the claims at `range` (desk order).
    fn splice(&mut self, range: Range<usize>, claims: &[crate::store::ClaimHead]) {
        let sources: Vec<u32> = claims.iter().map(|c| self.number(&c.source)).collect();
        let statuses: Vec<u16> = (claims.iter())
            .map(|c| self.status_number(c.status))
            .collect();
        self.source_of.splice(range.clone(), sources);
        self.status_of.splice(range, statuses);
    }

    /// Drop file `fi` (gone from disk): the files after it are numbered one less.
    pub fn remove_file(&mut self, fi: usize) {
        let Some(range) = self.file_range(fi) else {
            return;
        };
        let gone = range.len();
        self.source_of.splice(range.clone(), Vec::new());
        self.status_of.splice(range, Vec::new());
        self.file_starts.remove(fi);
        for start in self.file_starts.iter_mut().skip(fi) {
            *start -= gone;
        }
    }

    /// Claims per status of `scale`, in scale order.
    pub fn status_counts(&self, scale: &Scale) -> Vec<usize> {
        self.status_counts_in(scale, 0..self.claims())
    }

    /// Claims per status of `scale` among the claims at `range` (desk order).
    pub fn status_counts_in(&self, scale: &Scale, range: Range<usize>) -> Vec<usize> {
        let of = self.status_of.range(range);
        scale.counts(of.map(|&n| self.statuses[usize::from(n)]))
    }

    /// How many claims these facets hold.
    pub fn claims(&self) -> usize {
        self.status_of.len()
    }

    /// Per source (not counting sub-sources), claims per status of `scale`.
    pub fn source_status_counts(&self, scale: &Scale) -> HashMap<SourceId, Vec<usize>> {
        let mut per = vec![vec![0usize; scale.len()]; self.sources.len()];
        for (&n, &st) in self.source_of.iter().zip(self.status_of.iter()) {
            if let Some(i) = scale.index(self.statuses[usize::from(st)]) {
                per[n as usize][i] += 1;
            }
        }
        self.sources.iter().cloned().zip(per).collect()
    }

    /// Claims per source (not counting sub-sources).
    pub fn source_counts(&self) -> HashMap<SourceId, usize> {
        self.source_counts_in(0..self.claims())
    }

    /// Claims per source among the claims at `range` (desk order).
    pub fn source_counts_in(&self, range: Range<usize>) -> HashMap<SourceId, usize> {
        let mut per = vec![0usize; self.sources.len()];
        for &n in self.source_of.range(range) {
            per[n as usize] += 1;
        }
        (self.sources.iter().zip(per))
            .filter(|(_, n)| *n > 0)
            .map(|(id, n)| (id.clone(), n))
            .collect()
    }

    /// A test for one claim's position against the filter's source and status
    /// parts, or None when the filter has neither.
    pub(super) fn test<'a>(
        &'a self,
        filter: &Filter,
    ) -> Option<impl Fn(usize) -> bool + Sync + 'a> {
        if filter.sources.is_none() && filter.statuses.is_none() {
            return None;
        }
        let allowed: Vec<bool> = self
            .sources
            .iter()
            .map(|id| filter.sources.as_ref().is_none_or(|s| s.contains(id)))
            .collect();
        let statuses: Option<Vec<bool>> = (filter.statuses.as_ref())
            .map(|set| self.statuses.iter().map(|st| set.contains(st)).collect());
        Some(move |pos: usize| {
            let source_ok = self
                .source_of
                .get(pos)
                .is_some_and(|&n| allowed[n as usize]);
            source_ok
                && statuses
                    .as_ref()
                    .is_none_or(|ok| self.status_of.get(pos).is_some_and(|&n| ok[usize::from(n)]))
        })
    }

    /// The distinct source ids, numbered as `source_number` gives them.
    pub(super) fn sources(&self) -> &[SourceId] {
        &self.sources
    }

    /// The number of the source of the claim at `pos` (desk order).
    pub(super) fn source_number(&self, pos: usize) -> Option<usize> {
        self.source_of.get(pos).map(|&n| n as usize)
    }

    /// The claims that pass a filter's source and status parts, in desk order
    /// (the search text is the index's business).
    pub fn filter(&self, filter: &Filter) -> Vec<ClaimRef> {
        let mut out = Vec::new();
        self.filter_into(filter, &mut out);
        out
    }

    /// `filter`, added to `out` (a list's buffer, reused: at a million
    /// claims a fresh one costs its page faults every keystroke).
    pub fn filter_into(&self, filter: &Filter, out: &mut Vec<ClaimRef>) {
        let test = self.test(filter);
        for fi in 0..self.file_starts.len() {
            let Some(range) = self.file_range(fi) else {
                continue;
            };
            let start = range.start;
            for pos in range {
                if test.as_ref().is_none_or(|t| t(pos)) {
                    out.push(ClaimRef::new(fi, pos - start));
                }
            }
        }
    }

    /// The positions of file `fi`'s claims.
    /// Where file `fi`'s claims are, in desk order.
    pub fn file_range(&self, fi: usize) -> Option<Range<usize>> {
        let start = *self.file_starts.get(fi)?;
        let end = (self.file_starts.get(fi + 1)).map_or(self.source_of.len(), |e| *e);
        Some(start..end)
    }
}
