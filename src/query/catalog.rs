//! Everything derived from the loaded desk, with one owner: the source
//! tree, the packed facets, the search index and the counts. The desk view,
//! the server and the command line all ask the catalog, so a count means
//! the same everywhere.

use std::collections::HashMap;
use std::ops::Range;

use super::{Facets, Filter, Hits, LazyIndex, SearchIndex, Sort, SourceTree, StatsRow};
use crate::model::SourceId;
use crate::store::{ClaimRef, Desk};
use crate::text::search_key;

#[derive(Debug)]
pub struct Catalog {
    tree: SourceTree,
    index: LazyIndex,
    facets: Facets,
    /// Claims per status of the desk's scale, in scale order.
    status_counts: Vec<usize>,
    /// Claims per source, not counting sub-sources.
    own_counts: HashMap<SourceId, usize>,
    /// The text hits of the last searches, the latest last: typing a letter
    /// more looks only among the hits of the search it extends, and
    /// deleting it finds its hits here.
    recent: Vec<(String, Hits)>,
}

/// What `recent` may hold: a long word typed and deleted again, at a
/// million claims (125 KB a search, and 4 bytes a hit of a phrase scanned
/// for), beside the newest search, always kept.
const RECENT: usize = 24;
const RECENT_BYTES: usize = 32 << 20;

impl Catalog {
    /// The catalog of `desk`, its search index folded on another thread (the
    /// first frame searches nothing, so it does not wait for the index).
    pub fn new(desk: &Desk) -> Catalog {
        let tree = SourceTree::of(desk);
        let index = LazyIndex::start(desk, &tree);
        Catalog::from_parts(desk, tree, index)
    }

    /// The catalog with the search index folded only if a search asks for
    /// it (one-shot commands: `stats` and a `list` without search fold nothing).
    pub fn on_demand(desk: &Desk) -> Catalog {
        let tree = SourceTree::of(desk);
        Catalog::from_parts(desk, tree, LazyIndex::on_demand())
    }

    /// A catalog whose search index starts from `index` (a server's shared
    /// one, say): only the files that differ from it are folded again.
    pub fn with_index(desk: &Desk, mut index: SearchIndex) -> Catalog {
        let tree = SourceTree::of(desk);
        index.sync(desk, &tree);
        Catalog::from_parts(desk, tree, LazyIndex::ready(index))
    }

    fn from_parts(desk: &Desk, tree: SourceTree, index: LazyIndex) -> Catalog {
        let mut c = Catalog {
            tree,
            index,
            facets: Facets::default(),
            status_counts: Vec::new(),
            own_counts: HashMap::new(),
            recent: Vec::new(),
        };
        c.facets = Facets::of(desk);
        c.recount(desk);
        c
    }

    fn recount(&mut self, desk: &Desk) {
        self.status_counts = self.facets.status_counts(&desk.settings.rating_scale);
        self.own_counts = self.facets.source_counts();
    }

    pub fn tree(&self) -> &SourceTree {
        &self.tree
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

    /// The search index, folding whatever is still to fold.
    pub fn index(&mut self, desk: &Desk) -> &SearchIndex {
        self.index.get(desk, &self.tree)
    }

    /// The claims that pass `filter`, in desk order.
    pub fn filter(&mut self, desk: &Desk, filter: &Filter) -> Vec<ClaimRef> {
        let mut out = Vec::new();
        self.filter_into(desk, filter, &mut out);
        out
    }

    /// `filter`, written over `out`: a list's buffer, reused, since at a
    /// million claims a fresh one costs its page faults every keystroke,
    /// and zeroing it again its writes.
    pub fn filter_into(&mut self, desk: &Desk, filter: &Filter, out: &mut Vec<ClaimRef>) {
        self.filter_text_and_facets(desk, filter, out);
        Catalog::keep_by_claim(desk, filter, out);
    }

    /// Those of `claims` (in desk order) that pass `filter`: the claims
    /// that just arrived, say, at their cost rather than the desk's.
    pub fn filter_among(
        &mut self,
        desk: &Desk,
        filter: &Filter,
        claims: &[ClaimRef],
    ) -> Vec<ClaimRef> {
        let index = self.index.get(desk, &self.tree);
        let mut hits = index.filter_within(&self.facets, filter, claims);
        Catalog::keep_by_claim(desk, filter, &mut hits);
        hits
    }

    /// The parts of `filter` that look at the claims themselves.
    fn keep_by_claim(desk: &Desk, filter: &Filter, hits: &mut Vec<ClaimRef>) {
        if let Some(me) = &filter.changed_by {
            hits.retain(|r| {
                desk.get(*r)
                    .is_some_and(|c| c.history.iter().any(|h| &h.by == me))
            });
        }
        if filter.candidates {
            hits.retain(|r| desk.get(*r).is_some_and(|c| c.is_candidate()));
        }
    }

    /// `claims` ordered by `sort` (stable: ties keep their order).
    pub fn sort(&self, desk: &Desk, claims: &mut [ClaimRef], sort: Sort) {
        let scale = &desk.settings.rating_scale;
        match sort {
            Sort::Desk => claims.sort_by_key(|r| (r.file, r.claim)),
            Sort::Id => claims.sort_by_cached_key(|r| desk.get(*r).map(|c| c.id.0.clone())),
            Sort::Status => {
                claims.sort_by_cached_key(|r| desk.get(*r).and_then(|c| scale.index(c.status)))
            }
            Sort::Source => claims.sort_by_cached_key(|r| {
                desk.get(*r)
                    .map(|c| self.tree.name(&c.source).to_lowercase())
            }),
            Sort::LastChange => claims.sort_by_cached_key(|r| {
                std::cmp::Reverse(
                    desk.get(*r)
                        .and_then(|c| c.history.last().map(|h| h.at.clone())),
                )
            }),
        }
    }

    fn filter_text_and_facets(&mut self, desk: &Desk, filter: &Filter, out: &mut Vec<ClaimRef>) {
        let search = filter.search.trim();
        if search.is_empty() {
            // No search text: the index (maybe still being built) is not needed.
            out.clear();
            return self.facets.filter_into(filter, out);
        }
        let key = search_key(search);
        let index = self.index.get(desk, &self.tree);
        if let Some(i) = self.recent.iter().position(|(k, _)| *k == key) {
            let again = self.recent.remove(i);
            self.recent.push(again);
        } else {
            // A search that extends an earlier one by letters at its end: its
            // hits (words starting so) are among that one's.
            let within = (self.recent.iter())
                .filter(|(k, _)| key.starts_with(k.as_str()))
                .max_by_key(|(k, _)| k.len())
                .map(|(_, hits)| hits);
            let hits = index.text_hits(&self.facets, search, within);
            self.recent.push((key, hits));
            while self.recent.len() > RECENT
                || (self.recent.len() > 1
                    && self.recent.iter().map(|(_, h)| h.bytes()).sum::<usize>() > RECENT_BYTES)
            {
                self.recent.remove(0);
            }
        }
        match self.recent.last() {
            Some((_, hits)) => index.refs_into(&self.facets, filter, hits, out),
            None => out.clear(),
        }
    }

    /// Keep only the latest search's hits (a search typed on later starts
    /// from them); the rest served keys typed and deleted.
    pub fn forget_searches(&mut self) {
        let keep = self.recent.len().saturating_sub(1);
        self.recent.drain(..keep);
        self.recent.shrink_to_fit();
    }

    /// File `file` of `desk` was saved and re-read (others' changes to it may
    /// have come in with it): bring what derives from it up to date, at the
    /// cost of that file, not of the desk, when its claims stayed in place.
    pub fn saved(&mut self, desk: &Desk, file: usize) {
        self.recent.clear();
        let Some(range) = self.facets.file_range(file) else {
            return self.reloaded(desk);
        };
        // The counts change by what the file's claims were and are now.
        self.count(desk, range.clone(), false);
        if !self.facets.refresh_file(desk, file) {
            return self.reloaded(desk);
        }
        self.count(desk, range, true);
        // The re-read file may define sources the tree has not seen.
        if !self.tree.unchanged_by(desk, file) {
            self.tree = SourceTree::of(desk);
        }
        self.index.get(desk, &self.tree).sync(desk, &self.tree);
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
        for (id, d) in self.facets.source_counts_in(range) {
            let n = self.own_counts.entry(id).or_default();
            *n = if add { *n + d } else { n.saturating_sub(d) };
        }
    }

    /// Files arrived at the end of `desk` (progressive loading): take them
    /// in at the cost of those files, not of the desk.
    pub fn arrived(&mut self, desk: &Desk) {
        self.recent.clear();
        let from = self.facets.files();
        let from_claim = self.facets.claims();
        self.tree.add_files(desk, from);
        self.facets.add_files(desk);
        self.index.get(desk, &self.tree).add_files(desk, &self.tree);
        // Counted for the new claims only: a recount would cost the desk.
        self.count(desk, from_claim..self.facets.claims(), true);
    }

    /// Files of `desk` were re-read: fold again only what changed.
    pub fn reloaded(&mut self, desk: &Desk) {
        self.recent.clear();
        self.tree = SourceTree::of(desk);
        self.index.get(desk, &self.tree).sync(desk, &self.tree);
        self.facets = Facets::of(desk);
        self.recount(desk);
    }
}
