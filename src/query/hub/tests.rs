//! The hub's one path for every change: a save, a change on disk, a new
//! file, a removed one and an unreadable one each come out as one delta,
//! and the views before and after say the same as the disk.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use super::*;
use crate::model::{ClaimId, Status};
use crate::store::{Change, Edit};

fn synth(files: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    crate::synth::write_desk(dir.path(), files, 5, 3).expect("synthetic desk");
    dir
}

fn marks(id: &ClaimId, by: &str, status: Status) -> Change {
    Change {
        claim: id.clone(),
        by: by.into(),
        at: "2026-12-01T10:00:00Z".into(),
        edit: Edit::Status {
            status,
            note: None,
            evidence: vec![],
        },
        seen: None,
    }
}

fn status_in(view: &View, id: &ClaimId) -> Option<Status> {
    let r = view.desk.find(id)?;
    view.desk.get(r).map(|c| c.status)
}

/// Another process saves: a desk of its own on the same files.
fn elsewhere(dir: &Path, change: &Change) {
    let mut other = Desk::load(dir).expect("loads");
    other.apply(change).expect("saved elsewhere");
}

fn deltas_since(hub: &Hub, version: u64) -> Vec<Delta> {
    hub.changes_since(version).deltas.expect("kept")
}

/// What the hub derived, change after change, is what a catalog made
/// afresh from its desk says: counts, stats, filters and searches.
fn same_as_fresh(view: &View) {
    let fresh = Catalog::of(&view.desk);
    assert_eq!(view.catalog.status_counts(), fresh.status_counts());
    assert_eq!(
        view.catalog.stats_rows(&view.desk),
        fresh.stats_rows(&view.desk)
    );
    for search in ["", "a", "ال", "source 1", "الهجمات", "cyber", "a1-c", "zzz"] {
        for statuses in [None, Some([Status::Verified, Status::False].into())] {
            let filter = crate::query::Filter {
                search: search.into(),
                statuses,
                ..Default::default()
            };
            let (mut mine, mut theirs) = (Vec::new(), Vec::new());
            let searcher = || crate::query::Searcher::default();
            searcher().filter_into(&view.desk, &view.catalog, &filter, &mut mine);
            searcher().filter_into(&view.desk, &fresh, &filter, &mut theirs);
            assert_eq!(mine, theirs, "{search:?}");
        }
    }
}

#[test]
fn a_save_is_one_delta_and_every_view_after_it_holds_it() {
    let dir = synth(3);
    let hub = Hub::new(Desk::load(dir.path()).expect("loads"));
    let before = hub.view();
    let id = before.desk.files[1].head.claims[2].id.clone();
    hub.save(&marks(&id, "alice", Status::False))
        .expect("saved");
    let after = hub.view();
    assert_eq!(after.version, before.version + 1);
    assert_eq!(
        deltas_since(&hub, before.version),
        [Delta::FileChanged { file: 1, before: 5 }]
    );
    assert_eq!(status_in(&after, &id), Some(Status::False));
    // The view a session still shows is as it was: views never change.
    assert_ne!(status_in(&before, &id), Some(Status::False));
    // What derives from the desk came along: counts and the facets.
    let false_at = after.desk.settings.rating_scale.index(Status::False);
    let counted = false_at.map(|i| after.catalog.status_counts()[i]);
    let was = false_at.map(|i| before.catalog.status_counts()[i]);
    assert_eq!(counted, was.map(|n| n + 1));
    // The documents of files nobody touched are shared, not copied.
    assert!(Arc::ptr_eq(
        &before.desk.files[0].head,
        &after.desk.files[0].head
    ));
    same_as_fresh(&after);
}

#[test]
fn changes_on_disk_new_files_and_removed_ones_each_come_as_one_delta() {
    let dir = synth(3);
    let hub = Hub::new(Desk::load(dir.path()).expect("loads"));
    let start = hub.version();
    assert!(!hub.check_disk(), "nothing changed yet");
    assert_eq!(hub.version(), start, "and nothing was published");

    let id = hub.view().desk.files[2].head.claims[0].id.clone();
    elsewhere(dir.path(), &marks(&id, "bob", Status::Verified));
    assert!(hub.check_disk());
    assert_eq!(
        deltas_since(&hub, start),
        [Delta::FileChanged { file: 2, before: 5 }]
    );
    assert_eq!(status_in(&hub.view(), &id), Some(Status::Verified));
    same_as_fresh(&hub.view());

    // A new article, named to come first: it goes at its place, and the
    // files after it are numbered one more.
    let v = hub.version();
    let text = crate::store::render(&crate::synth::document(9, 4, 1)).expect("render");
    fs::write(dir.path().join("00000a.yaml"), text).expect("write");
    assert!(hub.check_disk());
    assert_eq!(
        deltas_since(&hub, v),
        [Delta::FilesAdded {
            files: 1..2,
            problems: vec![]
        }]
    );
    let view = hub.view();
    assert_eq!(view.desk.files.len(), 4);
    assert_eq!(
        status_in(&view, &id),
        Some(Status::Verified),
        "found at its new place"
    );
    assert_eq!(view.catalog.index().files(), 4, "the new file is searched");
    same_as_fresh(&view);

    let v = hub.version();
    fs::remove_file(dir.path().join("00000a.yaml")).expect("remove");
    assert!(hub.check_disk());
    assert_eq!(
        deltas_since(&hub, v),
        [Delta::FileRemoved { file: 1, before: 4 }]
    );
    assert_eq!(hub.view().desk.claim_count(), 15);
    same_as_fresh(&hub.view());
}

#[test]
fn a_file_that_does_not_read_keeps_its_last_good_copy_and_is_told() {
    let dir = synth(2);
    let hub = Hub::new(Desk::load(dir.path()).expect("loads"));
    let v = hub.version();
    let path = dir.path().join("00001.yaml");
    fs::write(&path, "article: [\n").expect("break it");
    assert!(hub.check_disk());
    let deltas = deltas_since(&hub, v);
    assert!(
        matches!(&deltas[..], [Delta::Unreadable(why)] if why.contains("00001.yaml")),
        "{deltas:?}"
    );
    assert_eq!(
        hub.view().desk.claim_count(),
        10,
        "the last good copy stays"
    );
}

#[test]
fn an_older_version_read_late_never_replaces_a_newer_one() {
    let dir = synth(1);
    let hub = Hub::new(Desk::load(dir.path()).expect("loads"));
    let path = dir.path().join("00000.yaml");
    // A reader takes the file as it is now, and is slow to hand it on...
    let scale = hub.view().desk.settings.rating_scale.clone();
    let stale = ClaimsFile::new(
        path.as_path().into(),
        load_file(&path, Some(&scale)).expect("reads"),
        Stamp::of(&path),
    );
    // ...while someone saves a newer one.
    let id = hub.view().desk.files[0].head.claims[0].id.clone();
    hub.save(&marks(&id, "alice", Status::False))
        .expect("saved");
    let v = hub.version();
    assert!(
        !hub.inner.take_file(stale),
        "the older version is not taken"
    );
    assert_eq!(hub.version(), v);
    assert_eq!(status_in(&hub.view(), &id), Some(Status::False));
}

#[test]
fn a_session_too_far_behind_is_told_to_compute_its_list_anew() {
    let dir = synth(1);
    let hub = Hub::new(Desk::load(dir.path()).expect("loads"));
    let old = hub.version();
    for _ in 0..=KEPT {
        hub.inner.tell("a message".into());
    }
    assert!(hub.changes_since(old).deltas.is_none());
    assert!(hub.changes_since(hub.version() - 1).deltas.is_some());
}

#[test]
fn subscribers_are_told_of_each_view_while_they_listen() {
    let dir = synth(1);
    let hub = Hub::new(Desk::load(dir.path()).expect("loads"));
    let told = Arc::new(AtomicU64::new(0));
    let count = Arc::clone(&told);
    let listening = hub.subscribe(move || {
        count.fetch_add(1, Ordering::SeqCst);
    });
    let id = hub.view().desk.files[0].head.claims[0].id.clone();
    hub.save(&marks(&id, "alice", Status::False))
        .expect("saved");
    assert_eq!(told.load(Ordering::SeqCst), 1);
    drop(listening);
    hub.save(&marks(&id, "alice", Status::Verified))
        .expect("saved");
    assert_eq!(
        told.load(Ordering::SeqCst),
        1,
        "not after the subscription ended"
    );
}

/// The hub of `claimdesk`: its own thread sees another process's save
/// without being asked (inotify), and a large desk's files arrive on it.
#[test]
fn an_opened_hub_takes_in_changes_on_disk_by_itself() {
    let dir = synth(3);
    let hub = Hub::open(dir.path(), false).expect("opens");
    let id = hub.view().desk.files[0].head.claims[1].id.clone();
    // Its watcher is up once the first look after loading is done.
    std::thread::sleep(Duration::from_millis(100));
    elsewhere(dir.path(), &marks(&id, "bob", Status::Misleading));
    let start = Instant::now();
    while status_in(&hub.view(), &id) != Some(Status::Misleading) {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the change on disk never came in"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_large_desk_arrives_file_after_file_at_its_end() {
    let dir = tempfile::tempdir().expect("temp dir");
    crate::synth::write_desk(dir.path(), 40, 100, 3).expect("synthetic desk");
    let hub = Hub::open(dir.path(), false).expect("opens");
    let first = hub.view();
    let (have, total) = first.loading.expect("loads progressively");
    assert!(have < total);
    let start = Instant::now();
    while hub.view().loading.is_some() {
        assert!(start.elapsed() < Duration::from_secs(30), "never loaded");
        std::thread::sleep(Duration::from_millis(5));
    }
    let deltas = deltas_since(&hub, first.version);
    let mut next = have;
    for d in &deltas {
        let Delta::FilesAdded { files, problems } = d else {
            panic!("only arrivals while it loads: {d:?}");
        };
        assert_eq!(files.start, next, "each at the end, in order");
        assert!(problems.is_empty());
        next = files.end;
    }
    assert_eq!(next, total);
    let whole = Desk::load(dir.path()).expect("loads");
    let view = hub.view();
    assert_eq!(view.desk.claim_count(), whole.claim_count());
    assert_eq!(view.catalog.index().files(), total, "every file folded");
    same_as_fresh(&view);
}

/// Documents let go are read back when asked for: from the parse cache
/// (that very version) or, without one, from the YAML while it still
/// holds the same claims.
#[test]
fn a_file_let_go_reads_its_claims_back_when_shown() {
    let dir = synth(4);
    let hub = Hub::new(Desk::load(dir.path()).expect("loads"));
    let before = hub.view();
    let (r, text) = {
        let (r, c) = before.desk.claims_in(2..3).nth(3).expect("a claim");
        (r, c.text.clone())
    };
    assert!(hub.cool_down(0), "something was let go");
    let after = hub.view();
    assert!(
        after.desk.files.iter().all(|f| !f.warmth().0),
        "every file cold"
    );
    assert_eq!(deltas_since(&hub, before.version), [Delta::Cooled]);
    // Read back from the YAML: the same claim.
    assert_eq!(
        after.desk.get(r).map(|c| c.text.as_str()),
        Some(text.as_str())
    );
    assert!(after.desk.files[2].warmth().0, "kept once read back");
    // A file rewritten with other claims since can no longer be read back
    // as it was: nothing is shown for it rather than another claim.
    hub.cool_down(0);
    let cold = hub.view();
    let path = dir.path().join("00001.yaml");
    let mut other = crate::synth::document(7, 3, 2);
    other.article.id = "other".into();
    fs::write(&path, crate::store::render(&other).expect("render")).expect("write");
    let r1 = crate::store::ClaimRef::new(1, 0);
    assert!(cold.desk.get(r1).is_none());
    assert!(cold.desk.head(r1).is_some(), "its head stays");
}
