//! The search index: each claim's searchable text, folded once, so a
//! keystroke only scans.

use std::sync::Arc;

use memchr::memmem::Finder;

use super::{Facets, Filter, SourceTree};
use crate::model::{Claim, Document};
use crate::store::{ClaimRef, Desk};
use crate::text::{fold_squashed_into, search_key};

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
    /// Some claim was folded without its source's names (the source was
    /// not defined yet): files arriving later may define it.
    unresolved: bool,
}

/// The claims of `docs` (the desk's files from `first` on) with their
/// places; where each file's claims start is pushed to `file_starts`,
/// counted from `base` entries.
fn numbered<'a>(
    docs: impl Iterator<Item = &'a Document>,
    first: usize,
    base: usize,
    file_starts: &mut Vec<usize>,
) -> Vec<(ClaimRef, &'a Claim)> {
    let mut claims = Vec::new();
    for (fi, d) in docs.enumerate() {
        file_starts.push(base + claims.len());
        claims.extend(d.claims.iter().enumerate().map(|(claim, c)| {
            let file = first + fi;
            (ClaimRef { file, claim }, c)
        }));
    }
    claims
}

fn unresolved(claims: &[(ClaimRef, &Claim)], tree: &SourceTree) -> bool {
    claims.iter().any(|(_, c)| tree.get(&c.source).is_none())
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
    // Every word follows a space, the first one too (see `search_key`).
    s.push(' ');
    for part in [
        claim.id.0.as_str(),
        &claim.text,
        &claim.translation,
        source.map_or("", |s| s.name.as_str()),
        source.map_or("", |s| s.name_original.as_str()),
        claim.note.as_deref().unwrap_or(""),
    ] {
        fold_squashed_into(part, s);
        if !s.ends_with(' ') {
            s.push(' ');
        }
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
        let claims = numbered(docs.iter().map(|d| d.as_ref()), 0, 0, &mut file_starts);
        let fold = |(r, c): &(ClaimRef, &Claim)| Some((*r, haystack(c, tree)));
        let entries = if all_cores {
            par_map(&claims, fold)
        } else {
            claims.iter().filter_map(fold).collect()
        };
        let unresolved = unresolved(&claims, tree);
        drop(claims);
        SearchIndex {
            entries,
            file_starts,
            docs,
            tree: tree.clone(),
            unresolved,
        }
    }

    /// Take in the files of `desk` that arrived after the ones folded
    /// (progressive loading): only they are folded, unless a claim folded
    /// before named a source only now defined.
    pub fn add_files(&mut self, desk: &Desk, tree: &SourceTree) {
        let from = self.docs.len();
        let unresolved_now_known = self.unresolved && tree.sources.len() != self.tree.sources.len();
        let prefix_same = desk.files.len() >= from
            && self
                .docs
                .iter()
                .zip(&desk.files)
                .all(|(old, f)| Arc::ptr_eq(old, &f.doc));
        if unresolved_now_known || !prefix_same {
            *self = SearchIndex::build(desk, tree);
            return;
        }
        let arrived = desk.files.get(from..).unwrap_or_default();
        let base = self.entries.len();
        let folded = numbered(
            arrived.iter().map(|f| f.doc.as_ref()),
            from,
            base,
            &mut self.file_starts,
        );
        self.docs.extend(arrived.iter().map(|f| Arc::clone(&f.doc)));
        let fold = |(r, c): &(ClaimRef, &Claim)| Some((*r, haystack(c, tree)));
        // On all cores: this runs on the desk's thread while files arrive.
        self.entries.extend(par_map(&folded, fold));
        self.unresolved |= unresolved(&folded, tree);
        if self.tree.sources.len() != tree.sources.len() {
            self.tree = tree.clone();
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

    /// No index until `get` asks for one.
    pub fn on_demand() -> LazyIndex {
        LazyIndex {
            ready: None,
            building: None,
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

/// The test one entry must pass.
fn passes<'a>(
    facets: &'a Facets,
    filter: &'a Filter,
) -> impl Fn(&(ClaimRef, Arc<str>)) -> Option<ClaimRef> + Sync + 'a {
    // Matches start at words: the key and the index are squashed alike.
    let key = search_key(&filter.search);
    // A lone letter matches anywhere: it is a search still being typed, and
    // at word starts it would scan most of the index for few hits (Arabic
    // words lose their article there). Its hits hold every later key's.
    let needle = if key.chars().count() == 2 {
        key.trim_start()
    } else {
        key.as_str()
    };
    // memchr's searcher picks the needle's rarest bytes to scan for; `str::contains`
    // scans for the first byte, which in Arabic text (0xD8-0xDB) is almost every other byte.
    let finder =
        (!filter.search.trim().is_empty()).then(|| Finder::new(needle.as_bytes()).into_owned());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SourceId, Status};
    use crate::query::{Catalog, reviewer_activity};
    use crate::text::{fold, words};
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
            seen: None,
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
            seen: None,
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
    fn sources_and_searches_match_whole_words_not_letters() {
        let d = desk();
        let tree = SourceTree::of(&d);
        let iran = tree.matching("Iran");
        assert!(
            iran.contains(&SourceId("iran-government".into())),
            "{iran:?}"
        );
        assert!(
            !iran.contains(&SourceId("us-embassy-tirana".into())),
            "{iran:?}"
        );
        // Search: "iran" finds claims with a word starting "iran", and not a
        // claim that says only "Tirana" (the shipped article has several).
        let idx = SearchIndex::build(&d, &tree);
        let found = hits(&idx, &d, "iran");
        let mut tirana_only = 0;
        for (r, c) in d.claims() {
            let source = tree.get(&c.source);
            let all = [
                c.id.0.as_str(),
                &c.text,
                &c.translation,
                source.map_or("", |s| s.name.as_str()),
                source.map_or("", |s| s.name_original.as_str()),
                c.note.as_deref().unwrap_or(""),
            ]
            .map(fold)
            .join(" ");
            let expected = words(&all).any(|w| w.starts_with("iran"));
            tirana_only += usize::from(!expected && all.contains("tirana"));
            assert_eq!(found.contains(&r), expected, "{}", c.id);
        }
        assert!(tirana_only > 0, "no claim to tell words from letters");
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
        let rows = Catalog::on_demand(&d).stats_rows(&d);
        assert_eq!(tree.sources.len() + 1, rows.len());
        let last = rows.last().expect("rows");
        assert_eq!((last.source.clone(), last.total()), (None, 54));
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
