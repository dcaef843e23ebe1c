//! Progressive loading: a large desk opens on its first files, the rest
//! arrive in the background, and the desk stays right and usable meanwhile
//! (the cursor, the search, the counts, marking, a bad file, a second reviewer).

mod common;

use std::fs;
use std::path::Path;

use claimdesk::app::{Action, App, update};
use claimdesk::model::Status;
use claimdesk::query::Hub;
use claimdesk::store::{Change, Desk, Edit};
use claimdesk::text::Bidi;

/// Files of 100 synthetic claims (about 50 KB each): 60 are three
/// megabytes, well past the one parsed before the first frame.
const FILES: usize = 60;

fn synth_desk() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    claimdesk::synth::write_desk(dir.path(), FILES, 100, 7).expect("synthetic desk");
    dir
}

fn ids(desk: &Desk) -> Vec<String> {
    desk.claims().map(|(_, c)| c.id.0.to_string()).collect()
}

/// A desk opened as `claimdesk` opens one: the first files, the rest
/// arriving on the hub's thread.
fn open(dir: &Path) -> Hub {
    Hub::open(dir, false).expect("opens")
}

/// Take in arrivals until every file is in, as the drive loop does.
fn arrive_all(app: &mut App) {
    let start = std::time::Instant::now();
    while app.session().loading().is_some() {
        assert!(
            start.elapsed().as_secs() < 60,
            "the desk never finished loading"
        );
        update(app, Action::DeskChanged);
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// The hub's desk once every file is in.
fn loaded(hub: &Hub) -> std::sync::Arc<claimdesk::query::View> {
    let start = std::time::Instant::now();
    loop {
        let view = hub.view();
        if view.loading.is_none() {
            return view;
        }
        assert!(
            start.elapsed().as_secs() < 60,
            "the desk never finished loading"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[test]
fn the_desk_opens_on_its_first_files_and_ends_with_all_of_them_in_order() {
    let dir = synth_desk();
    let hub = open(dir.path());
    let first = hub.view();
    let (arrived, total) = first.loading.expect("a desk this size loads progressively");
    assert_eq!(total, FILES);
    assert!(arrived < FILES / 2, "only the first files: {arrived}");
    assert!(
        first.desk.claim_count() > 0,
        "the first files' claims are there"
    );
    let view = loaded(&hub);
    let whole = Desk::load(dir.path()).expect("loads whole");
    assert_eq!(view.desk.files.len(), FILES);
    assert_eq!(
        ids(&view.desk),
        ids(&whole),
        "the same claims, in desk order"
    );
}

#[test]
fn a_small_desk_loads_whole_and_a_bad_file_still_fails_the_start() {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("claims");
    let hub = Hub::open(&shipped, false).expect("the shipped claims open");
    assert_eq!(
        hub.view().loading,
        None,
        "a one-article desk is loaded whole"
    );
    let dir = common::copy_of_claims();
    fs::write(dir.path().join("broken.yaml"), "article: [\n").expect("write");
    let err = Hub::open(dir.path(), false).expect_err("refused, as before");
    assert!(err.to_string().contains("broken.yaml:"), "{err}");
}

#[test]
fn arrivals_keep_the_cursor_the_search_and_the_counts_right() {
    let dir = synth_desk();
    let hub = open(dir.path());
    let first_files = hub.view().desk.files.len();
    let mut app = common::desk::app_on(hub, Bidi::Logical, "alice");
    for _ in 0..3 {
        update(&mut app, Action::Down);
    }
    update(&mut app, Action::SearchStart);
    for c in "the".chars() {
        update(&mut app, Action::Input(c));
    }
    update(&mut app, Action::Confirm);
    let hits_before = app.screen().list().visible().len();
    let search = app.screen().list().filter().search.clone();
    assert_eq!(search, "the");
    arrive_all(&mut app);
    let session = app.session();
    assert!(session.desk().files.len() > first_files);
    assert_eq!(
        app.screen().list().filter().search,
        search,
        "the search text stays"
    );
    let hits_after = app.screen().list().visible().len();
    assert!(
        hits_after > hits_before,
        "{hits_before} -> {hits_after}: new hits came in"
    );
    let mut whole = common::desk::app(Desk::load(dir.path()).expect("loads"), Bidi::Logical);
    update(&mut whole, Action::SearchStart);
    for c in "the".chars() {
        update(&mut whole, Action::Input(c));
    }
    assert_eq!(
        hits_after,
        whole.screen().list().visible().len(),
        "the same hits as a desk loaded whole"
    );
    update(&mut app, Action::ClearFilters);
    let counts: usize = app.session().catalog().status_counts().iter().sum();
    assert_eq!(counts, FILES * 100, "the header counts every claim");
    assert_eq!(app.screen().list().visible().len(), FILES * 100);
}

#[test]
fn the_cursor_stays_on_its_claim_while_files_arrive() {
    let dir = synth_desk();
    let mut app = common::desk::app_on(open(dir.path()), Bidi::Logical, "alice");
    for _ in 0..5 {
        update(&mut app, Action::Down);
    }
    let on = app.selected_claim().expect("a claim").id.clone();
    let at = app.screen().list().selected();
    arrive_all(&mut app);
    assert_eq!(app.selected_claim().map(|c| c.id.clone()), Some(on));
    assert_eq!(app.screen().list().selected(), at);
}

#[test]
fn a_claim_can_be_marked_before_the_rest_arrive() {
    let dir = synth_desk();
    let hub = open(dir.path());
    let first = hub.view();
    assert!(first.loading.is_some());
    let (at, claim) = (first.desk.claims())
        .next()
        .map(|(r, c)| (r, c.clone()))
        .expect("a claim");
    hub.save(&status(&claim.id, "ana", Status::False))
        .expect("saved while loading");
    let view = loaded(&hub);
    assert_eq!(view.desk.get(at).map(|c| c.status), Some(Status::False));
    let on_disk = Desk::load(dir.path()).expect("reload");
    let r = on_disk.find(&claim.id).expect("still there");
    assert_eq!(on_disk.get(r).map(|c| c.status), Some(Status::False));
}

#[test]
fn a_bad_file_in_the_background_is_reported_and_the_rest_is_usable() {
    let dir = synth_desk();
    let bad = dir.path().join(format!("{:05}.yaml", FILES - 5));
    let text = fs::read_to_string(&bad).expect("read");
    fs::write(&bad, text.replacen("claims:", "claims: [", 1)).expect("break it");
    let first = Desk::load(dir.path())
        .err()
        .map(|p| p.to_string())
        .unwrap_or_default();
    assert!(
        first.contains(&format!("{:05}.yaml:", FILES - 5)),
        "{first}"
    );
    let hub = Hub::open(dir.path(), false).expect("opens: the first files are fine");
    let start = hub.version();
    let view = loaded(&hub);
    let said: Vec<String> = (hub.changes_since(start).deltas.unwrap_or_default())
        .into_iter()
        .flat_map(|d| match d {
            claimdesk::query::Delta::FilesAdded { problems, .. } => problems,
            _ => Vec::new(),
        })
        .collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].contains(&format!("{:05}.yaml:", FILES - 5)),
        "{said:?}"
    );
    assert_eq!(view.desk.files.len(), FILES - 1, "every other file is in");
    assert_eq!(view.desk.claim_count(), (FILES - 1) * 100);
}

#[test]
fn the_desk_says_what_it_left_out() {
    for broken in [FILES / 2, FILES - 1] {
        the_desk_says_it_left_out(broken);
    }
}

/// The message stays when later files arrive whole, and when loading ends.
fn the_desk_says_it_left_out(broken: usize) {
    let dir = synth_desk();
    let bad = dir.path().join(format!("{broken:05}.yaml"));
    fs::write(&bad, "article: [\n").expect("break it");
    let mut app = common::desk::app_on(open(dir.path()), Bidi::Logical, "alice");
    arrive_all(&mut app);
    let said = app
        .screen()
        .message()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.contains("left out while loading"), "{said}");
    assert!(said.contains(&format!("{broken:05}.yaml:")), "{said}");
    // Still a desk: keys work on what loaded.
    update(&mut app, Action::Down);
    assert!(app.selected_claim().is_some());
}

#[test]
fn another_reviewers_change_during_loading_is_not_lost() {
    let dir = synth_desk();
    let mine = open(dir.path());
    // Bob, on a desk loaded whole, marks a claim of the last file while
    // mine is still loading (mine may have parsed that file before or after).
    let mut bob = Desk::load(dir.path()).expect("loads");
    let last = bob.files.len() - 1;
    let theirs = bob.files[last].head.claims[0].id.clone();
    let ours = bob.files[last].head.claims[1].id.clone();
    bob.apply(&status(&theirs, "bob", Status::Verified))
        .expect("bob saves");
    loaded(&mine);
    mine.save(&status(&ours, "alice", Status::False))
        .expect("alice saves");
    let view = mine.view();
    let r = view.desk.find(&theirs).expect("there");
    assert_eq!(
        view.desk.get(r).map(|c| c.status),
        Some(Status::Verified),
        "alice's save re-read the file: bob's change is in her desk too"
    );
    let disk = Desk::load(dir.path()).expect("reload");
    let status_of = |id| disk.find(id).and_then(|r| disk.get(r)).map(|c| c.status);
    assert_eq!(
        status_of(&theirs),
        Some(Status::Verified),
        "bob's change kept"
    );
    assert_eq!(
        status_of(&ours),
        Some(Status::False),
        "alice's change saved"
    );
}

fn status(id: &claimdesk::model::ClaimId, by: &str, to: Status) -> Change {
    Change {
        claim: id.clone(),
        by: by.into(),
        at: "2026-11-30T12:00:00Z".into(),
        edit: Edit::Status {
            status: to,
            note: None,
            evidence: vec![],
        },
        seen: None,
    }
}

/// An error on screen is not replaced by "loaded" when the last files arrive.
#[test]
fn the_end_of_loading_does_not_hide_an_error() {
    let dir = synth_desk();
    let mut app = common::desk::app_on(open(dir.path()), Bidi::Logical, "alice");
    assert!(app.session().loading().is_some());
    update(&mut app, Action::Digit(9));
    let error = app.screen().message().map(|m| (m.text.clone(), m.error));
    assert!(error.as_ref().is_some_and(|(_, e)| *e), "{error:?}");
    arrive_all(&mut app);
    let now = app.screen().message().map(|m| (m.text.clone(), m.error));
    assert_eq!(now, error);
}
