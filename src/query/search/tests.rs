//! The search index against the claims themselves: every kind of search
//! (a letter, a word, a phrase, a source's name) finds what reading each
//! claim finds, however the keys were typed.

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

/// Another reviewer's note on claim `claim`.
fn their_note(claim: crate::model::ClaimId, note: &str) -> crate::store::Change {
    crate::store::Change {
        claim,
        by: "other".into(),
        at: "2026-11-29T00:00:00Z".into(),
        edit: crate::store::Edit::Note(note.into()),
        seen: None,
    }
}

#[test]
fn after_a_reload_only_changed_files_are_folded_again_and_the_result_is_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    crate::synth::write_desk(dir.path(), 3, 5, 7).expect("synthetic desk");
    let mut mine = Desk::load(dir.path()).expect("load");
    let tree = SourceTree::of(&mine);
    let mut idx = SearchIndex::build(&mine, &tree);
    let before: Vec<_> = idx.heads.iter().map(Arc::as_ptr).collect();
    // A server session's copy of the index: it shares the folded text.
    let session = idx.clone();
    assert!(Arc::ptr_eq(&idx.files[1], &session.files[1]));

    // Another reviewer notes something on a claim of the second file.
    let mut theirs = Desk::load(dir.path()).expect("load");
    let target = theirs.files[1].head.claims[2].id.clone();
    theirs
        .apply(&their_note(target, "quokka sighting"))
        .expect("save");

    assert!(hits(&idx, &mine, "quokka").is_empty());
    assert!(mine.refresh().changed);
    let tree = SourceTree::of(&mine);
    idx.sync(&mine, &tree);
    let after: Vec<_> = idx.heads.iter().map(Arc::as_ptr).collect();
    assert_eq!(after[0], before[0], "an unchanged file was folded again");
    assert_ne!(after[1], before[1]);
    // What was not folded again is still shared with the clone taken before.
    let shared = |i: usize| Arc::ptr_eq(&idx.files[i], &session.files[i]);
    assert!(shared(0), "file 0 copied");
    assert!(!shared(1), "file 1 not refolded");
    assert!(shared(2), "file 2 copied");
    let fresh = SearchIndex::build(&mine, &tree);
    assert_eq!(idx.files, fresh.files);
    assert_eq!(idx.file_starts, fresh.file_starts);
    assert_eq!(hits(&idx, &mine, "quokka"), vec![ClaimRef::new(1, 2)]);
}

#[test]
fn facets_filter_as_the_claims_themselves_would() {
    let dir = tempfile::tempdir().expect("temp dir");
    crate::synth::write_desk(dir.path(), 4, 30, 3).expect("synthetic desk");
    let d = Desk::load(dir.path()).expect("load");
    let tree = SourceTree::of(&d);
    let facets = Facets::of(&d);
    let some_source = d.files[2].head.claims[0].source.clone();
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
    let id = d.files[1].head.claims[3].id.clone();
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
    facets.replace_file(&d, 1);
    assert_eq!(facets.filter(&only_false), vec![ClaimRef::new(1, 3)]);
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
    // Words typed with a space find them with punctuation between, as in
    // the source name "Government of Iran (Tehran)".
    let spaced = hits(&idx, &d, "iran tehran");
    assert!(!spaced.is_empty());
    assert_eq!(spaced, hits(&idx, &d, "iran (tehran)"));
    // And across a source's two names: "... (Tehran)" then "طهران".
    assert_eq!(hits(&idx, &d, "tehran طهران"), spaced);
    assert_eq!(hits(&idx, &d, "albania s"), hits(&idx, &d, "albania's"));
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
    let rows = Catalog::without_index(&d).stats_rows(&d);
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

/// What a search finds by reading each claim: its folded text or its
/// source's folded names hold the key (a lone letter anywhere, else at a
/// word start).
fn read_for(d: &Desk, tree: &SourceTree, q: &str) -> Vec<ClaimRef> {
    if q.trim().is_empty() {
        return d.claims().map(|(r, _)| r).collect();
    }
    let key = search_key(q);
    let needle = if key.chars().count() == 2 {
        key.trim_start()
    } else {
        key.as_str()
    };
    let names = folded_names(tree);
    d.claims()
        .filter(|(_, c)| {
            let mut text = String::new();
            fold_claim(c, &mut text);
            let name = names.get(&c.source).map_or("", |n| n.as_str());
            text.contains(needle) || name.contains(needle)
        })
        .map(|(r, _)| r)
        .collect()
}

/// A synthetic desk over the threshold where searches split over cores.
fn big_desk() -> (tempfile::TempDir, Desk) {
    let dir = tempfile::tempdir().expect("temp dir");
    crate::synth::write_desk(dir.path(), 90, 100, 11).expect("synthetic desk");
    let d = Desk::load(dir.path()).expect("load");
    (dir, d)
}

const QUERIES: [&str; 26] = [
    "c",
    "ا",
    "ه",
    "7",
    "é",
    "cy",
    "cyber",
    "cyberattacks",
    "ال",
    "الهج",
    "الهجمات",
    "هجمات",
    "nato",
    "a1",
    "a12-c3",
    "c12",
    "cyber attack",
    "two of",
    "the ally",
    "Interior Ministry",
    "(تموز)",
    "البلاد 15",
    "alb-1",
    "رئيس الوزراء",
    "zzz-no-such",
    "",
];

#[test]
fn every_kind_of_search_finds_what_reading_each_claim_finds() {
    let (_dir, big) = big_desk();
    assert!(
        big.claim_count() > 8192,
        "the split over cores goes untested"
    );
    for d in [&desk(), &big] {
        let tree = SourceTree::of(d);
        let idx = SearchIndex::build(d, &tree);
        let mut some = 0;
        let names: Vec<String> = tree.sources.values().map(|s| s.name.clone()).collect();
        let originals = tree.sources.values().map(|s| s.name_original.clone());
        for q in QUERIES
            .iter()
            .map(|q| q.to_string())
            .chain(names)
            .chain(originals)
        {
            let want = read_for(d, &tree, &q);
            some += usize::from(!want.is_empty() && want.len() < d.claim_count());
            assert_eq!(hits(&idx, d, &q), want, "{q:?}");
            // Claims looked at one by one (files that arrived or changed).
            let every: Vec<ClaimRef> = d.claims().map(|(r, _)| r).collect();
            let filter = Filter {
                search: q.clone(),
                ..Filter::default()
            };
            let one_by_one = idx.filter_within(&Facets::of(d), &filter, &every);
            assert_eq!(one_by_one, want, "{q:?}, claim by claim");
        }
        assert!(some > 10, "too few searches that tell claims apart");
    }
}

#[test]
fn typing_a_search_and_deleting_it_lists_at_each_key_what_a_fresh_search_finds() {
    let (_dir, d) = big_desk();
    let tree = SourceTree::of(&d);
    let catalog = Catalog::of(&d);
    let mut searcher = crate::query::Searcher::default();
    let statuses = Some([Status::Unreviewed, Status::Verified].into());
    let (index, facets) = (SearchIndex::build(&d, &tree), Facets::of(&d));
    let mut list = Vec::new();
    for typed in ["cyber attacks", "الهجمات البلاد", "a3-c1", "Interior"] {
        let prefixes: Vec<String> = (0..=typed.chars().count())
            .map(|n| typed.chars().take(n).collect())
            .collect();
        // Typed on, deleted back, typed on again.
        let keys = prefixes
            .iter()
            .chain(prefixes.iter().rev())
            .chain(&prefixes);
        for (i, search) in keys.enumerate() {
            let filter = Filter {
                search: search.clone(),
                statuses: (i % 3 == 0).then(|| statuses.clone()).flatten(),
                ..Filter::default()
            };
            if i == prefixes.len() {
                // The search was left and opened again: only its hits were kept.
                searcher.forget();
            }
            let fresh = index.filter(&facets, &filter);
            // One list written over at every key, as the screen keeps one.
            searcher.filter_into(&d, &catalog, &filter, &mut list);
            assert_eq!(list, fresh, "{search:?} (key {i})");
        }
    }
}

#[test]
fn places_walk_to_their_files_past_empty_ones_and_back() {
    // Files of 3, 0, 2 and 5 claims.
    let starts = [0, 3, 3, 5];
    let mut walk = Walk::new(&starts);
    let at = |(file, claim)| ClaimRef::new(file, claim);
    let places = [0, 2, 3, 4, 5, 9, 1, 4, 3];
    let expected = [
        (0, 0),
        (0, 2),
        (2, 0),
        (2, 1),
        (3, 0),
        (3, 4),
        (0, 1),
        (2, 1),
        (2, 0),
    ];
    for (place, want) in places.into_iter().zip(expected) {
        assert_eq!(walk.at(place), at(want), "place {place}");
    }
}

#[test]
fn letters_and_words_find_their_claims_across_blocks_of_files_and_after_they_change() {
    use crate::store::{load_file, render, write_file};
    // 300 files of 3 claims: rows across files cross words of bits at
    // every file and a block of files ends at file 256, claim 768.
    let dir = tempfile::tempdir().expect("temp dir");
    crate::synth::write_desk(dir.path(), 300, 3, 5).expect("synthetic desk");
    let mut d = Desk::load(dir.path()).expect("load");
    let keys = [
        "ا", "ق", "c", "7", "z", "\u{e9}", "الهج", "cyber", "qaf", "zzz",
    ];
    let check = |idx: &SearchIndex, d: &Desk, when: &str| {
        let tree = SourceTree::of(d);
        for q in keys {
            assert_eq!(hits(idx, d, q), read_for(d, &tree, q), "{q:?} {when}");
        }
    };
    let tree = SourceTree::of(&d);
    let mut idx = SearchIndex::build(&d, &tree);
    check(&idx, &d, "at first");

    // A claim of the second block gains a letter and a word no claim had;
    // a file of the first block loses a claim, so every later claim moves
    // back one.
    let at = |fi: usize| dir.path().join(format!("{fi:05}.yaml"));
    let mut shorter = load_file(&at(10), None).expect("file 10");
    shorter.claims.pop();
    write_file(&at(10), render(&shorter).expect("render").as_bytes()).expect("write");
    let target = d.files[280].head.claims[1].id.clone();
    Desk::load(dir.path())
        .expect("load")
        .apply(&their_note(target, "qaf ق"))
        .expect("save");
    assert!(d.refresh().changed);
    idx.sync(&d, &SourceTree::of(&d));
    check(&idx, &d, "after the change");
    assert!(
        !hits(&idx, &d, "ق").is_empty(),
        "the new letter is not found"
    );
    assert!(
        !hits(&idx, &d, "qaf").is_empty(),
        "the new word is not found"
    );
}
