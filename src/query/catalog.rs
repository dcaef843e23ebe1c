//! Everything derived from the loaded desk, with one owner: the source
//! tree, the packed facets, the search index and the counts. The desk view,
//! the server and the command line all ask the catalog, so a count means
//! the same everywhere.
//!
//! A catalog is published with its desk in each `View` of the hub and
//! never changes after: its parts are shared (reference-counted) between
//! views, and the hub makes the next view's parts from the last one's at
//! the cost of what changed (`file_changed`, `files_added`, `file_removed`).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::{Facets, Filter, Prefolded, SearchIndex, Sort, SourceTree, StatsRow};
use crate::model::SourceId;
use crate::store::{ClaimRef, Desk};

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    tree: Arc<SourceTree>,
    facets: Arc<Facets>,
    /// Folded for every file of the desk, or (one-shot commands that
    /// search no text) for none.
    index: Arc<SearchIndex>,
    indexed: bool,
    /// Claims per status of the desk's scale, in scale order.
    status_counts: Vec<usize>,
    /// Claims per source, not counting sub-sources.
    own_counts: Arc<HashMap<SourceId, usize>>,
}

impl Catalog {
    /// Everything derived from `desk`, its search index folded on all cores.
    pub fn of(desk: &Desk) -> Catalog {
        let mut c = Catalog::without_index(desk);
        c.index = Arc::new(SearchIndex::build(desk, &c.tree));
        c.indexed = true;
        c
    }

    /// Without a search index: for one-shot commands (`stats`, `list`)
    /// that filter by source and status but search no text.
    pub fn without_index(desk: &Desk) -> Catalog {
        let mut c = Catalog {
            tree: Arc::new(SourceTree::of(desk)),
            facets: Arc::new(Facets::of(desk)),
            ..Catalog::default()
        };
        c.recount(desk);
        c
    }

    fn recount(&mut self, desk: &Desk) {
        self.status_counts = self.facets.status_counts(&desk.settings.rating_scale);
        self.own_counts = Arc::new(self.facets.source_counts());
    }

    pub fn tree(&self) -> &SourceTree {
        &self.tree
    }

    pub fn facets(&self) -> &Facets {
        &self.facets
    }

    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// Claims per status over the whole desk, in scale order.
    pub fn status_counts(&self) -> &[usize] {
        &self.status_counts
    }

    /// Claims attributed to this source itself.
    pub fn own_count(&self, id: &SourceId) -> usize {
        self.own_counts.get(id).copied().unwrap_or(0)
    }

    /// Claims of this source and every source below it: what filtering by it shows.
    pub fn count_with_subsources(&self, id: &SourceId) -> usize {
        self.tree
            .with_descendants([id.clone()])
            .iter()
            .map(|s| self.own_count(s))
            .sum()
    }

    /// The source x status matrix (sub-sources included), then all sources.
    pub fn stats_rows(&self, desk: &Desk) -> Vec<StatsRow> {
        let scale = &desk.settings.rating_scale;
        let direct = self.facets.source_status_counts(scale);
        super::stats::rows(&self.tree, scale, &direct, &self.status_counts)
    }

    /// The claims that pass `filter`'s parts other than its search text,
    /// in desk order (the search is a session's `Searcher`'s business).
    pub fn filter(&self, desk: &Desk, filter: &Filter) -> Vec<ClaimRef> {
        let mut out = Vec::new();
        self.facets.filter_into(filter, &mut out);
        keep_by_claim(desk, filter, &mut out);
        out
    }

    /// `claims` ordered by `sort` (stable: ties keep their order).
    pub fn sort(&self, desk: &Desk, claims: &mut [ClaimRef], sort: Sort) {
        let scale = &desk.settings.rating_scale;
        match sort {
            Sort::Desk => claims.sort_by_key(|r| (r.file(), r.claim())),
            Sort::Id => claims.sort_by_cached_key(|r| desk.head(*r).map(|c| c.id.0.clone())),
            Sort::Status => {
                claims.sort_by_cached_key(|r| desk.head(*r).and_then(|c| scale.index(c.status)))
            }
            Sort::Source => claims.sort_by_cached_key(|r| {
                desk.head(*r)
                    .map(|c| self.tree.name(&c.source).to_lowercase())
            }),
            Sort::LastChange => claims.sort_by_cached_key(|r| {
                std::cmp::Reverse(
                    desk.head(*r)
                        .and_then(|c| c.last_change().map(compact_str::CompactString::from)),
                )
            }),
        }
    }

    /// File `file` of `desk` was read again (a save, a change on disk):
    /// bring what derives from it up to date, at the cost of that file,
    /// not of the desk.
    pub fn file_changed(&mut self, desk: &Desk, file: usize) {
        let Some(range) = self.facets.file_range(file) else {
            return self.rebuilt(desk);
        };
        // The counts change by what the file's claims were and are now.
        self.count(desk, range, false);
        Arc::make_mut(&mut self.facets).replace_file(desk, file);
        if let Some(range) = self.facets.file_range(file) {
            self.count(desk, range, true);
        }
        // The file may define sources the tree has not seen.
        if !self.tree.unchanged_by(desk, file) {
            self.tree = Arc::new(SourceTree::of(desk));
        }
        if self.indexed {
            Arc::make_mut(&mut self.index).file_changed(desk, &self.tree, file);
        }
    }

    /// Files were added to `desk` at `at` (arriving while it loads, at its
    /// end; or one new on disk, at its place in name order): take in those
    /// files only.
    pub fn files_added(&mut self, desk: &Desk, at: Range<usize>) {
        self.files_arrived(desk, at, Prefolded::default());
    }

    /// `files_added`, with what was folded of them ahead (files arriving
    /// while a desk loads are folded as they are parsed).
    pub fn files_arrived(&mut self, desk: &Desk, at: Range<usize>, ahead: Prefolded) {
        if at.end == desk.files.len() {
            if !self.tree.knows_sources_of(desk, at.clone()) {
                Arc::make_mut(&mut self.tree).add_files(desk, at.start);
            }
            Arc::make_mut(&mut self.facets).add_files(desk);
            if self.indexed {
                Arc::make_mut(&mut self.index).add_files_folded(desk, &self.tree, ahead);
            }
        } else {
            for fi in at.clone() {
                Arc::make_mut(&mut self.facets).insert_file(desk, fi);
            }
            // Which file defines a source first may have changed.
            self.tree = Arc::new(SourceTree::of(desk));
            if self.indexed {
                let index = Arc::make_mut(&mut self.index);
                for fi in at.clone() {
                    index.insert_file(desk, &self.tree, fi);
                }
            }
        }
        // Counted for the new claims only: a recount would cost the desk.
        let claims = self.facets.file_range(at.start).map(|r| r.start);
        let end = self.facets.file_range(at.end - 1).map(|r| r.end);
        if let (Some(from), Some(to)) = (claims, end) {
            self.count(desk, from..to, true);
        }
    }

    /// File `file`, which held `claims` in the desk before, is gone from
    /// `desk` (the files after it are numbered one less).
    pub fn file_removed(&mut self, desk: &Desk, file: usize) {
        if let Some(range) = self.facets.file_range(file) {
            self.count(desk, range, false);
        }
        Arc::make_mut(&mut self.facets).remove_file(file);
        self.tree = Arc::new(SourceTree::of(desk));
        if self.indexed {
            Arc::make_mut(&mut self.index).remove_file(file);
        }
    }

    /// The desk's files came or went in its middle, or its settings
    /// changed: everything again (the index folds only what it has not).
    pub fn rebuilt(&mut self, desk: &Desk) {
        self.tree = Arc::new(SourceTree::of(desk));
        self.facets = Arc::new(Facets::of(desk));
        if self.indexed {
            Arc::make_mut(&mut self.index).sync(desk, &self.tree);
        }
        self.recount(desk);
    }

    /// Add the claims at `range` (desk order) to the counts, or take them away.
    fn count(&mut self, desk: &Desk, range: Range<usize>, add: bool) {
        let scale = &desk.settings.rating_scale;
        let statuses = self.facets.status_counts_in(scale, range.clone());
        if statuses.len() != self.status_counts.len() {
            return self.recount(desk);
        }
        for (n, d) in self.status_counts.iter_mut().zip(statuses) {
            *n = if add { *n + d } else { n.saturating_sub(d) };
        }
        let own = Arc::make_mut(&mut self.own_counts);
        for (id, d) in self.facets.source_counts_in(range) {
            let n = own.entry(id).or_default();
            *n = if add { *n + d } else { n.saturating_sub(d) };
        }
    }
}

/// The parts of `filter` that look at the claims themselves.
pub(super) fn keep_by_claim(desk: &Desk, filter: &Filter, hits: &mut Vec<ClaimRef>) {
    if let Some(me) = &filter.changed_by {
        hits.retain(|r| desk.head(*r).is_some_and(|c| c.changed_by(me)));
    }
    if filter.candidates {
        hits.retain(|r| desk.head(*r).is_some_and(|c| c.candidate));
    }
}
