//! Filtering and searching the desk's claims. Pure functions over the model.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use memchr::memmem::Finder;

use crate::model::{Claim, Document, Source, SourceId, Status};
use crate::store::{ClaimRef, Desk};
use crate::text::{fold, fold_into};

/// The sources of the whole desk as one tree. Sources are defined per file;
/// the same id in two files is taken to be the same party (first definition wins).
#[derive(Debug, Clone, Default, PartialEq)]
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
/// A clone shares the text (sessions of one server share one index's text;
/// a session folds again only the files that change under it).
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// In desk order: file by file, claim by claim.
    entries: Vec<(ClaimRef, Arc<str>)>,
    /// Where each file's claims start in `entries`.
    file_starts: Vec<usize>,
    /// The documents and sources the entries were folded from, to tell
    /// after a reload which files need folding again.
    docs: Vec<Arc<Document>>,
    tree: SourceTree,
}

fn haystack(claim: &Claim, tree: &SourceTree) -> Arc<str> {
    thread_local! {
        // Folded into a reused buffer, then copied once into its shared home.
        static SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    SCRATCH.with_borrow_mut(|s| {
        s.clear();
        fold_haystack(claim, tree, s);
        Arc::from(s.as_str())
    })
}

fn fold_haystack(claim: &Claim, tree: &SourceTree, s: &mut String) {
    let source = tree.get(&claim.source);
    for part in [
        claim.id.0.as_str(),
        &claim.text,
        &claim.translation,
        source.map_or("", |s| s.name.as_str()),
        source.map_or("", |s| s.name_original.as_str()),
        claim.note.as_deref().unwrap_or(""),
    ] {
        fold_into(part, s);
        s.push('\n');
    }
}

impl SearchIndex {
    pub fn build(desk: &Desk, tree: &SourceTree) -> SearchIndex {
        let docs = desk.files.iter().map(|f| Arc::clone(&f.doc)).collect();
        SearchIndex::of_documents(docs, tree, true)
    }

    /// From the documents alone (the desk's files, in order), so it can be
    /// built on another thread; on all cores if `all_cores`.
    pub fn of_documents(
        docs: Vec<Arc<Document>>,
        tree: &SourceTree,
        all_cores: bool,
    ) -> SearchIndex {
        let mut file_starts = Vec::with_capacity(docs.len());
        let mut claims = Vec::new();
        for (fi, d) in docs.iter().enumerate() {
            file_starts.push(claims.len());
            claims.extend(d.claims.iter().enumerate().map(|(ci, c)| {
                (
                    ClaimRef {
                        file: fi,
                        claim: ci,
                    },
                    c,
                )
            }));
        }
        let fold = |(r, c): &(ClaimRef, &Claim)| Some((*r, haystack(c, tree)));
        let entries = if all_cores {
            par_map(&claims, fold)
        } else {
            claims.iter().filter_map(fold).collect()
        };
        drop(claims);
        SearchIndex {
            entries,
            file_starts,
            docs,
            tree: tree.clone(),
        }
    }

    /// Catch up with `desk` after a reload: fold again only the files that
    /// changed, or everything if files or sources came or went.
    pub fn sync(&mut self, desk: &Desk, tree: &SourceTree) {
        let same_shape = self.docs.len() == desk.files.len()
            && self
                .docs
                .iter()
                .zip(&desk.files)
                .all(|(old, f)| old.claims.len() == f.doc.claims.len());
        if !same_shape || self.tree != *tree {
            *self = SearchIndex::build(desk, tree);
            return;
        }
        for (fi, f) in desk.files.iter().enumerate() {
            if Arc::ptr_eq(&self.docs[fi], &f.doc) {
                continue;
            }
            let start = self.file_starts[fi];
            for (ci, c) in f.doc.claims.iter().enumerate() {
                if let Some(e) = self.entries.get_mut(start + ci) {
                    e.1 = haystack(c, tree);
                }
            }
            self.docs[fi] = Arc::clone(&f.doc);
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
    pub fn filter(&self, facets: &Facets, filter: &Filter) -> Vec<ClaimRef> {
        let passes = passes(facets, filter);
        par_map(&self.entries, passes)
    }

    /// Like `filter`, looking only at `candidates` (in desk order): for a
    /// search that extends the last one, whose hits are a subset of its hits.
    pub fn filter_within(
        &self,
        facets: &Facets,
        filter: &Filter,
        candidates: &[ClaimRef],
    ) -> Vec<ClaimRef> {
        let passes = passes(facets, filter);
        par_map(candidates, |r| {
            let entry = self.entry_index(*r).and_then(|i| self.entries.get(i));
            entry.and_then(&passes)
        })
    }
}

/// The search index, folded on another thread from launch on: the first
/// frame needs no index (nothing is searched yet), so it does not wait for one.
#[derive(Debug)]
pub struct LazyIndex {
    ready: Option<SearchIndex>,
    building: Option<std::thread::JoinHandle<SearchIndex>>,
}

impl LazyIndex {
    pub fn start(desk: &Desk, tree: &SourceTree) -> LazyIndex {
        let docs: Vec<_> = desk.files.iter().map(|f| Arc::clone(&f.doc)).collect();
        let owned_tree = tree.clone();
        let spawned = std::thread::Builder::new()
            .name("search-index".into())
            // One thread: the other core stays with the reviewer's keys.
            .spawn(move || SearchIndex::of_documents(docs, &owned_tree, false));
        match spawned {
            Ok(handle) => LazyIndex {
                ready: None,
                building: Some(handle),
            },
            Err(_) => LazyIndex::ready(SearchIndex::build(desk, tree)),
        }
    }

    pub fn ready(index: SearchIndex) -> LazyIndex {
        LazyIndex {
            ready: Some(index),
            building: None,
        }
    }

    /// The index, waiting for the build if it is still running. The build
    /// saw the desk as it was at `start`; callers `sync` or `update` after.
    pub fn get(&mut self, desk: &Desk, tree: &SourceTree) -> &mut SearchIndex {
        if let Some(handle) = self.building.take() {
            // A build that panicked is done again here, where the panic shows.
            self.ready = handle.join().ok();
        }
        self.ready
            .get_or_insert_with(|| SearchIndex::build(desk, tree))
    }
}

/// Each claim's source and status, packed in desk order. A source or status
/// filter reads these few bytes a claim instead of chasing every claim
/// through the heap (at 100k claims that is the difference between a
/// cache miss per claim and a linear scan).
#[derive(Debug, Clone, Default)]
pub struct Facets {
    /// The distinct source ids, numbered by first appearance.
    sources: Vec<SourceId>,
    source_of: Vec<u32>,
    status_of: Vec<Status>,
    /// Where each file's claims start.
    file_starts: Vec<usize>,
}

impl Facets {
    pub fn of(desk: &Desk) -> Facets {
        let mut f = Facets::default();
        let mut numbers: HashMap<SourceId, u32> = HashMap::new();
        for file in &desk.files {
            f.file_starts.push(f.source_of.len());
            for c in &file.doc.claims {
                let n = f.number(&mut numbers, &c.source);
                f.source_of.push(n);
                f.status_of.push(c.status);
            }
        }
        f
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
            self.status_of[start + i] = c.status;
        }
        true
    }

    /// Claims per source (not counting sub-sources).
    pub fn source_counts(&self) -> HashMap<SourceId, usize> {
        let mut per = vec![0usize; self.sources.len()];
        for &n in &self.source_of {
            per[n as usize] += 1;
        }
        self.sources.iter().cloned().zip(per).collect()
    }

    /// A test for one claim's position against the filter's source and status
    /// parts, or None when the filter has neither.
    fn test<'a>(&'a self, filter: &Filter) -> Option<impl Fn(usize) -> bool + Sync + 'a> {
        if filter.sources.is_none() && filter.statuses.is_none() {
            return None;
        }
        let allowed: Vec<bool> = self
            .sources
            .iter()
            .map(|id| filter.sources.as_ref().is_none_or(|s| s.contains(id)))
            .collect();
        let statuses: Option<Vec<Status>> = filter
            .statuses
            .as_ref()
            .map(|s| s.iter().copied().collect());
        Some(move |pos: usize| {
            let source_ok = self
                .source_of
                .get(pos)
                .is_some_and(|&n| allowed[n as usize]);
            source_ok
                && statuses
                    .as_ref()
                    .is_none_or(|set| self.status_of.get(pos).is_some_and(|st| set.contains(st)))
        })
    }

    fn position(&self, at: ClaimRef) -> Option<usize> {
        Some(self.file_starts.get(at.file)? + at.claim)
    }

    /// The claims that pass a filter's source and status parts, in desk order
    /// (the search text is the index's business).
    pub fn filter(&self, filter: &Filter) -> Vec<ClaimRef> {
        let test = self.test(filter);
        let mut out = Vec::new();
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
        out
    }

    /// The positions of file `fi`'s claims.
    fn file_range(&self, fi: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.file_starts.get(fi)?;
        let end = (self.file_starts.get(fi + 1)).map_or(self.source_of.len(), |e| *e);
        Some(start..end)
    }
}

/// The test one entry must pass.
fn passes<'a>(
    facets: &'a Facets,
    filter: &'a Filter,
) -> impl Fn(&(ClaimRef, Arc<str>)) -> Option<ClaimRef> + Sync + 'a {
    let needle = fold(filter.search.trim());
    // memchr's searcher picks the needle's rarest bytes to scan for; `str::contains`
    // scans for the first byte, which in Arabic text (0xD8-0xDB) is almost every other byte.
    let finder = (!needle.is_empty()).then(|| Finder::new(needle.as_bytes()).into_owned());
    let facet_test = facets.test(filter);
    move |(r, hay)| {
        if let Some(f) = &finder
            && f.find(hay.as_bytes()).is_none()
        {
            return None;
        }
        if let Some(t) = &facet_test
            && !facets.position(*r).is_some_and(t)
        {
            return None;
        }
        Some(*r)
    }
}

/// `f` over `items` on all cores, the `Some` results in order. Below a few
/// thousand items the threads cost more than they save, so it runs inline.
fn par_map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> Option<U> + Sync) -> Vec<U> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < 8192 {
        return items.iter().filter_map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| s.spawn(|| part.iter().filter_map(&f).collect::<Vec<U>>()))
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

    fn hits(idx: &SearchIndex, d: &Desk, q: &str) -> Vec<ClaimRef> {
        let f = Filter {
            search: q.into(),
            ..Filter::default()
        };
        idx.filter(&Facets::of(d), &f)
    }

    #[test]
    fn the_index_built_in_the_background_matches_one_built_in_place() {
        let d = desk();
        let tree = SourceTree::of(&d);
        let mut lazy = LazyIndex::start(&d, &tree);
        let built = SearchIndex::build(&d, &tree);
        let from_thread = lazy.get(&d, &tree);
        assert_eq!(from_thread.len(), built.len());
        for q in ["ايران", "nato", "alb-1", "رئيس الوزراء", "zzz-no-such"] {
            assert_eq!(hits(from_thread, &d, q), hits(&built, &d, q), "{q}");
        }
        assert!(!hits(&built, &d, "nato").is_empty());
    }

    #[test]
    fn after_a_reload_only_changed_files_are_folded_again_and_the_result_is_whole() {
        use crate::store::{Change, Edit};
        let dir = tempfile::tempdir().expect("temp dir");
        crate::synth::write_desk(dir.path(), 3, 5, 7).expect("synthetic desk");
        let mut mine = Desk::load(dir.path()).expect("load");
        let tree = SourceTree::of(&mine);
        let mut idx = SearchIndex::build(&mine, &tree);
        let before: Vec<_> = idx.docs.iter().map(Arc::as_ptr).collect();
        // A server session's copy of the index: it shares the folded text.
        let session = idx.clone();
        assert!(Arc::ptr_eq(&idx.entries[3].1, &session.entries[3].1));

        // Another reviewer notes something on a claim of the second file.
        let mut theirs = Desk::load(dir.path()).expect("load");
        let target = theirs.files[1].doc.claims[2].id.clone();
        let change = Change {
            claim: target,
            by: "other".into(),
            at: "2026-11-29T00:00:00Z".into(),
            edit: Edit::Note("quokka sighting".into()),
        };
        theirs.apply(&change).expect("save");

        assert!(hits(&idx, &mine, "quokka").is_empty());
        assert!(mine.refresh().changed);
        let tree = SourceTree::of(&mine);
        idx.sync(&mine, &tree);
        let after: Vec<_> = idx.docs.iter().map(Arc::as_ptr).collect();
        assert_eq!(after[0], before[0], "an unchanged file was folded again");
        assert_ne!(after[1], before[1]);
        // What was not folded again is still shared with the clone taken before.
        let shared = |e: &[(ClaimRef, Arc<str>)], f: &[(ClaimRef, Arc<str>)], i: usize| {
            Arc::ptr_eq(&e[i].1, &f[i].1)
        };
        assert!(shared(&idx.entries, &session.entries, 0), "file 0 copied");
        assert!(
            !shared(&idx.entries, &session.entries, 5 + 2),
            "file 1 not refolded"
        );
        assert!(shared(&idx.entries, &session.entries, 10), "file 2 copied");
        let fresh = SearchIndex::build(&mine, &tree);
        assert_eq!(idx.entries, fresh.entries);
        assert_eq!(
            hits(&idx, &mine, "quokka"),
            vec![ClaimRef { file: 1, claim: 2 }]
        );
    }

    #[test]
    fn facets_filter_as_the_claims_themselves_would() {
        let dir = tempfile::tempdir().expect("temp dir");
        crate::synth::write_desk(dir.path(), 4, 30, 3).expect("synthetic desk");
        let d = Desk::load(dir.path()).expect("load");
        let tree = SourceTree::of(&d);
        let facets = Facets::of(&d);
        let some_source = d.files[2].doc.claims[0].source.clone();
        let filters = [
            Filter::default(),
            Filter {
                sources: Some(tree.with_descendants([some_source])),
                ..Filter::default()
            },
            Filter {
                statuses: Some([Status::Unreviewed, Status::Verified].into()),
                ..Filter::default()
            },
            Filter {
                sources: Some(tree.matching(&tree.sources.values().next().expect("a source").name)),
                statuses: Some([Status::InReview].into()),
                ..Filter::default()
            },
        ];
        for f in &filters {
            let by_hand: Vec<ClaimRef> = d
                .claims()
                .filter(|(_, c)| {
                    f.sources.as_ref().is_none_or(|s| s.contains(&c.source))
                        && f.statuses.as_ref().is_none_or(|s| s.contains(&c.status))
                })
                .map(|(r, _)| r)
                .collect();
            assert!(
                !by_hand.is_empty(),
                "a filter that finds nothing tests little: {f:?}"
            );
            assert_eq!(facets.filter(f), by_hand, "{f:?}");
        }
        let counts = facets.source_counts();
        assert_eq!(counts.values().sum::<usize>(), d.claim_count());
    }

    #[test]
    fn a_refreshed_file_brings_its_new_statuses_into_the_facets() {
        use crate::store::{Change, Edit};
        let dir = tempfile::tempdir().expect("temp dir");
        crate::synth::write_desk(dir.path(), 2, 5, 9).expect("synthetic desk");
        let mut d = Desk::load(dir.path()).expect("load");
        let mut facets = Facets::of(&d);
        let id = d.files[1].doc.claims[3].id.clone();
        let change = Change {
            claim: id,
            by: "me".into(),
            at: "2026-11-29T00:00:00Z".into(),
            edit: Edit::Status {
                status: Status::False,
                note: None,
                evidence: Vec::new(),
            },
        };
        d.apply(&change).expect("save");
        let only_false = Filter {
            statuses: Some([Status::False].into()),
            ..Filter::default()
        };
        assert!(facets.filter(&only_false).is_empty());
        assert!(facets.refresh_file(&d, 1));
        assert_eq!(
            facets.filter(&only_false),
            vec![ClaimRef { file: 1, claim: 3 }]
        );
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
        let hits = idx.filter(&Facets::of(&d), &f);
        assert!(!hits.is_empty());
        assert_eq!(hits, idx.filter(&Facets::of(&d), &with_hamza));
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
        let all = idx.filter(&Facets::of(&d), &Filter::default());
        assert_eq!(all.len(), d.claim_count());
        let f = Filter {
            sources: Some(tree.matching("us-treasury")),
            search: "tolerate".into(),
            ..Filter::default()
        };
        let hits = idx.filter(&Facets::of(&d), &f);
        assert_eq!(hits.len(), 1);
        let tree_order = tree.depth_first();
        assert_eq!(tree_order.len(), tree.sources.len());
    }
}
