//! Each claim's source and status, packed in desk order, for the source and
//! status filters and the counts every frame shows.

use std::collections::HashMap;
use std::ops::Range;

use super::Filter;
use crate::model::{Scale, SourceId, Status};
use crate::store::{ClaimRef, Desk};

/// Each claim's source and status, packed in desk order. A source or status
/// filter reads these few bytes a claim instead of chasing every claim
/// through the heap (at 100k claims that is the difference between a
/// cache miss per claim and a linear scan).
#[derive(Debug, Clone, Default)]
pub struct Facets {
    /// The distinct source ids, numbered by first appearance.
    sources: Vec<SourceId>,
    source_of: Vec<u32>,
    /// Each claim's status as its number in `statuses`: 2 bytes a claim
    /// rather than 16 (a server holds a copy per session).
    status_of: Vec<u16>,
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
        let mut numbers: HashMap<SourceId, u32> = (self.sources.iter().cloned()).zip(0..).collect();
        for file in desk.files.iter().skip(self.file_starts.len()) {
            self.file_starts.push(self.source_of.len());
            for c in &file.doc.claims {
                let n = self.number(&mut numbers, &c.source);
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

    fn number(&mut self, numbers: &mut HashMap<SourceId, u32>, id: &SourceId) -> u32 {
        if let Some(n) = numbers.get(id) {
            return *n;
        }
        let n = self.sources.len() as u32;
        self.sources.push(id.clone());
        numbers.insert(id.clone(), n);
        n
    }

    /// Take in file `fi` again after a save re-read it (same number of claims).
    /// False when it cannot be done in place; then build anew with `of`.
    pub fn refresh_file(&mut self, desk: &Desk, fi: usize) -> bool {
        let (Some(file), Some(range)) = (desk.files.get(fi), self.file_range(fi)) else {
            return false;
        };
        if range.len() != file.doc.claims.len() {
            return false;
        }
        let start = range.start;
        let mut numbers: HashMap<SourceId, u32> = (self.sources.iter().cloned()).zip(0..).collect();
        for (i, c) in file.doc.claims.iter().enumerate() {
            let n = self.number(&mut numbers, &c.source);
            self.source_of[start + i] = n;
            self.status_of[start + i] = self.status_number(c.status);
        }
        true
    }

    /// Claims per status of `scale`, in scale order.
    pub fn status_counts(&self, scale: &Scale) -> Vec<usize> {
        self.status_counts_in(scale, 0..self.claims())
    }

    /// Claims per status of `scale` among the claims at `range` (desk order).
    pub fn status_counts_in(&self, scale: &Scale, range: Range<usize>) -> Vec<usize> {
        let of = self.status_of.get(range).unwrap_or_default();
        scale.counts(of.iter().map(|&n| self.statuses[usize::from(n)]))
    }

    /// How many claims these facets hold.
    pub fn claims(&self) -> usize {
        self.status_of.len()
    }

    /// Per source (not counting sub-sources), claims per status of `scale`.
    pub fn source_status_counts(&self, scale: &Scale) -> HashMap<SourceId, Vec<usize>> {
        let mut per = vec![vec![0usize; scale.len()]; self.sources.len()];
        for (&n, &st) in self.source_of.iter().zip(&self.status_of) {
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
        for &n in self.source_of.get(range).unwrap_or_default() {
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
                    out.push(ClaimRef {
                        file: fi,
                        claim: pos - start,
                    });
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
