//! Filtering and searching the desk's claims. Pure functions over the model.

use std::collections::{BTreeMap, HashSet};

use crate::model::{Claim, Source, SourceId, Status};
use crate::store::{ClaimRef, Desk};
use crate::text::fold;

/// The sources of the whole desk as one tree. Sources are defined per file;
/// the same id in two files is taken to be the same party (first definition wins).
#[derive(Debug, Clone, Default)]
pub struct SourceTree {
    pub sources: BTreeMap<SourceId, Source>,
}

impl SourceTree {
    pub fn of(desk: &Desk) -> SourceTree {
        let mut sources = BTreeMap::new();
        for f in &desk.files {
            for s in &f.doc.sources {
                sources.entry(s.id.clone()).or_insert_with(|| s.clone());
            }
        }
        SourceTree { sources }
    }

    pub fn get(&self, id: &SourceId) -> Option<&Source> {
        self.sources.get(id)
    }

    pub fn name<'a>(&'a self, id: &'a SourceId) -> &'a str {
        self.get(id).map_or(id.0.as_str(), |s| s.name.as_str())
    }

    pub fn children(&self, id: &SourceId) -> impl Iterator<Item = &Source> {
        let id = id.clone();
        self.sources
            .values()
            .filter(move |s| s.parent.as_ref() == Some(&id))
    }

    /// `ids` and every source below them.
    pub fn with_descendants(&self, ids: impl IntoIterator<Item = SourceId>) -> HashSet<SourceId> {
        let mut out: HashSet<SourceId> = HashSet::new();
        let mut todo: Vec<SourceId> = ids.into_iter().collect();
        while let Some(id) = todo.pop() {
            if out.insert(id.clone()) {
                todo.extend(self.children(&id).map(|c| c.id.clone()));
            }
        }
        out
    }

    /// Sources a user meant by `needle`: an exact id or name (any case), else
    /// those whose id or names contain it; always with their children.
    pub fn matching(&self, needle: &str) -> HashSet<SourceId> {
        let n = fold(needle.trim());
        let exact: Vec<SourceId> = self
            .sources
            .values()
            .filter(|s| {
                [&s.id.0, &s.name, &s.name_original]
                    .iter()
                    .any(|x| fold(x) == n)
            })
            .map(|s| s.id.clone())
            .collect();
        let found = if exact.is_empty() {
            self.sources
                .values()
                .filter(|s| {
                    [&s.id.0, &s.name, &s.name_original]
                        .iter()
                        .any(|x| fold(x).contains(&n))
                })
                .map(|s| s.id.clone())
                .collect()
        } else {
            exact
        };
        self.with_descendants(found)
    }

    /// Roots first, each followed by its children, with their depth: the picker's order.
    pub fn depth_first(&self) -> Vec<(usize, &Source)> {
        let mut out = Vec::with_capacity(self.sources.len());
        let mut seen = HashSet::new();
        let roots = self.sources.values().filter(|s| {
            s.parent
                .as_ref()
                .is_none_or(|p| !self.sources.contains_key(p))
        });
        for root in roots {
            self.walk(root, 0, &mut out, &mut seen);
        }
        out
    }

    fn walk<'a>(
        &'a self,
        s: &'a Source,
        depth: usize,
        out: &mut Vec<(usize, &'a Source)>,
        seen: &mut HashSet<&'a SourceId>,
    ) {
        if !seen.insert(&s.id) {
            return;
        }
        out.push((depth, s));
        for c in self.children(&s.id) {
            self.walk(c, depth + 1, out, seen);
        }
    }
}

/// What the reviewer has narrowed the list to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Only claims of these sources (already expanded to children); `None` means all.
    pub sources: Option<HashSet<SourceId>>,
    pub statuses: Option<HashSet<Status>>,
    pub search: String,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.sources.is_none() && self.statuses.is_none() && self.search.is_empty()
    }
}

/// Each claim's searchable text, folded once, so a keystroke only scans.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// In desk order: file by file, claim by claim.
    entries: Vec<(ClaimRef, String)>,
    /// Where each file's claims start in `entries`.
    file_starts: Vec<usize>,
}

fn haystack(claim: &Claim, tree: &SourceTree) -> String {
    let source = tree.get(&claim.source);
    let mut s = String::with_capacity(claim.text.len() + claim.translation.len() + 64);
    for part in [
        claim.id.0.as_str(),
        &claim.text,
        &claim.translation,
        source.map_or("", |s| s.name.as_str()),
        source.map_or("", |s| s.name_original.as_str()),
        claim.note.as_deref().unwrap_or(""),
    ] {
        s.push_str(&fold(part));
        s.push('\n');
    }
    s
}

impl SearchIndex {
    pub fn build(desk: &Desk, tree: &SourceTree) -> SearchIndex {
        let claims: Vec<(ClaimRef, &Claim)> = desk.claims().collect();
        let mut file_starts = Vec::with_capacity(desk.files.len());
        let mut at = 0;
        for f in &desk.files {
            file_starts.push(at);
            at += f.doc.claims.len();
        }
        SearchIndex {
            entries: par_map(&claims, |(r, c)| vec![(*r, haystack(c, tree))]),
            file_starts,
        }
    }

    /// Refresh one claim's entry after a change (its note may have changed).
    pub fn update(&mut self, at: ClaimRef, claim: &Claim, tree: &SourceTree) {
        if let Some(e) = self.entry_index(at).and_then(|i| self.entries.get_mut(i)) {
            e.1 = haystack(claim, tree);
        }
    }

    fn entry_index(&self, at: ClaimRef) -> Option<usize> {
        let i = self.file_starts.get(at.file)? + at.claim;
        (self.entries.get(i)?.0 == at).then_some(i)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The claims that pass `filter`, in desk order.
    pub fn filter(&self, desk: &Desk, filter: &Filter) -> Vec<ClaimRef> {
        let passes = passes(desk, filter);
        par_map(&self.entries, |e| passes(e).into_iter().collect())
    }

    /// Like `filter`, looking only at `candidates` (in desk order): for a
    /// search that extends the last one, whose hits are a subset of its hits.
    pub fn filter_within(
        &self,
        desk: &Desk,
        filter: &Filter,
        candidates: &[ClaimRef],
    ) -> Vec<ClaimRef> {
        let passes = passes(desk, filter);
        par_map(candidates, |r| {
            let entry = self.entry_index(*r).and_then(|i| self.entries.get(i));
            entry.and_then(&passes).into_iter().collect()
        })
    }
}

/// The test one entry must pass.
fn passes<'a>(
    desk: &'a Desk,
    filter: &'a Filter,
) -> impl Fn(&(ClaimRef, String)) -> Option<ClaimRef> + Sync + 'a {
    let needle = fold(filter.search.trim());
    let by_claim = filter.sources.is_some() || filter.statuses.is_some();
    move |(r, hay)| {
        if !needle.is_empty() && !hay.contains(&needle) {
            return None;
        }
        // Only a source or status filter needs the claim itself.
        if by_claim {
            let c = desk.get(*r)?;
            let ok = filter
                .sources
                .as_ref()
                .is_none_or(|s| s.contains(&c.source))
                && filter
                    .statuses
                    .as_ref()
                    .is_none_or(|s| s.contains(&c.status));
            if !ok {
                return None;
            }
        }
        Some(*r)
    }
}

/// `f` over `items` on all cores, results in order. Below a few thousand
/// items the threads cost more than they save, so it runs inline.
fn par_map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> Vec<U> + Sync) -> Vec<U> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < 8192 {
        return items.iter().flat_map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| s.spawn(|| part.iter().flat_map(&f).collect::<Vec<U>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Claims per status of the desk's scale, in scale order.
pub fn status_counts(desk: &Desk) -> Vec<usize> {
    desk.settings
        .rating_scale
        .counts(desk.claims().map(|(_, c)| c.status))
}

/// One row of the source x status matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsRow {
    /// `None` for the row of all sources.
    pub source: Option<SourceId>,
    pub name: String,
    pub depth: usize,
    /// Per status of the scale, counting the source's sub-sources too (as its filter does).
    pub counts: Vec<usize>,
    /// Claims with a verdict.
    pub reviewed: usize,
}

impl StatsRow {
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }
}

/// The source x status matrix: every source in tree order, then all sources.
pub fn stats_rows(desk: &Desk, tree: &SourceTree) -> Vec<StatsRow> {
    let scale = &desk.settings.rating_scale;
    let mut direct: std::collections::HashMap<&SourceId, Vec<usize>> = Default::default();
    for (_, c) in desk.claims() {
        if let Some(i) = scale.index(c.status) {
            direct
                .entry(&c.source)
                .or_insert_with(|| vec![0; scale.len()])[i] += 1;
        }
    }
    let mut rows: Vec<StatsRow> = tree
        .depth_first()
        .into_iter()
        .map(|(depth, s)| {
            let mut counts = vec![0; scale.len()];
            for id in tree.with_descendants([s.id.clone()]) {
                if let Some(d) = direct.get(&id) {
                    for (c, n) in counts.iter_mut().zip(d) {
                        *c += n;
                    }
                }
            }
            StatsRow {
                source: Some(s.id.clone()),
                name: s.name.clone(),
                depth,
                reviewed: scale.verdicts_in(&counts),
                counts,
            }
        })
        .collect();
    let counts = status_counts(desk);
    rows.push(StatsRow {
        source: None,
        name: "All sources".into(),
        depth: 0,
        reviewed: scale.verdicts_in(&counts),
        counts,
    });
    rows
}

/// What one reviewer did, from history.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub reviewer: String,
    pub changes: usize,
    /// Changes that set a verdict.
    pub verdicts: usize,
    pub last: String,
}

/// Per-reviewer activity, most active first.
pub fn reviewer_activity(desk: &Desk) -> Vec<Activity> {
    let scale = &desk.settings.rating_scale;
    let mut by: std::collections::BTreeMap<&str, Activity> = Default::default();
    for (_, c) in desk.claims() {
        for h in &c.history {
            let a = by.entry(h.by.as_str()).or_insert_with(|| Activity {
                reviewer: h.by.clone(),
                changes: 0,
                verdicts: 0,
                last: String::new(),
            });
            a.changes += 1;
            if h.status != h.previous && scale.is_verdict(h.status) {
                a.verdicts += 1;
            }
            if h.at > a.last {
                a.last = h.at.clone();
            }
        }
    }
    let mut out: Vec<Activity> = by.into_values().collect();
    out.sort_by(|a, b| b.changes.cmp(&a.changes).then(a.reviewer.cmp(&b.reviewer)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn desk() -> Desk {
        Desk::load(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("claims")
                .as_path(),
        )
        .expect("shipped claims load")
    }

    #[test]
    fn a_parent_source_includes_its_children() {
        let d = desk();
        let tree = SourceTree::of(&d);
        let wh = tree.matching("white house");
        assert!(wh.contains(&SourceId("nsc-spokesperson".into())));
        assert!(wh.contains(&SourceId("wh-press-secretary".into())));
        assert!(!wh.contains(&SourceId("us-treasury".into())));
        let us = tree.matching("US-GOVERNMENT");
        assert!(us.contains(&SourceId("nsc-spokesperson".into())));
        assert!(us.contains(&SourceId("us-treasury".into())));
    }

    #[test]
    fn arabic_search_ignores_hamza_forms() {
        let d = desk();
        let tree = SourceTree::of(&d);
        let idx = SearchIndex::build(&d, &tree);
        // The article writes "الأمريكية"; a reviewer types it without hamza.
        let f = Filter {
            search: "الامريكية".into(),
            ..Filter::default()
        };
        let with_hamza = Filter {
            search: "الأمريكية".into(),
            ..Filter::default()
        };
        let hits = idx.filter(&d, &f);
        assert!(!hits.is_empty());
        assert_eq!(hits, idx.filter(&d, &with_hamza));
    }

    #[test]
    fn stats_rows_count_sub_sources_and_end_with_the_total() {
        let d = desk();
        let tree = SourceTree::of(&d);
        let rows = stats_rows(&d, &tree);
        let last = rows.last().expect("rows");
        assert_eq!((last.source.clone(), last.total()), (None, 53));
        let wh = rows
            .iter()
            .find(|r| r.name == "The White House")
            .expect("row");
        assert_eq!(wh.total(), 7, "itself 1 + NSC 4 + press secretary 2");
        assert!(
            reviewer_activity(&d).is_empty(),
            "shipped claims have no history"
        );
    }

    #[test]
    fn filters_combine() {
        let d = desk();
        let tree = SourceTree::of(&d);
        let idx = SearchIndex::build(&d, &tree);
        let all = idx.filter(&d, &Filter::default());
        assert_eq!(all.len(), d.claim_count());
        let f = Filter {
            sources: Some(tree.matching("us-treasury")),
            search: "tolerate".into(),
            ..Filter::default()
        };
        let hits = idx.filter(&d, &f);
        assert_eq!(hits.len(), 1);
        let tree_order = tree.depth_first();
        assert_eq!(tree_order.len(), tree.sources.len());
    }
}
