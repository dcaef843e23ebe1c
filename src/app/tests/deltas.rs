//! Every change reaches a list one way, through the hub's deltas: a save
//! by this session or another one of the same process, a change another
//! process made on disk, a new file, a removed one. Each mends the list
//! once (it is not computed whole again), the cursor stays on its claim,
//! and the list is what computing it afresh would give.

use std::fs;

use super::*;
use crate::query::Hub;

/// Two sessions of one process (a server's two reviewers) on a desk of
/// three synthetic articles.
fn two_on_one_hub() -> (tempfile::TempDir, Hub, App, App) {
    let dir = tempfile::tempdir().expect("temp dir");
    crate::synth::write_desk(dir.path(), 3, 12, 5).expect("synthetic desk");
    let hub = Hub::new(Desk::load(dir.path()).expect("loads"));
    let alice = new_app_with(Session::on(hub.clone(), Some("alice".into())));
    let bob = new_app_with(Session::on(hub.clone(), Some("bob".into())));
    (dir, hub, alice, bob)
}

/// Bob's list is searched (not everything is shown) and his cursor is on a claim.
fn searching(bob: &mut App) {
    run(bob, &[Action::SearchStart]);
    typed(bob, "a");
    run(bob, &[Action::Confirm, Action::Down, Action::Down]);
}

/// `app` took in the desk's change: its list was mended once, not computed
/// whole, its cursor is still on `on`, and it lists what a fresh list would.
fn mended_once(app: &mut App, counted: (usize, usize), on: &str) {
    update(app, Action::DeskChanged);
    assert_eq!(app.screen.list.counted.0, counted.0, "computed whole again");
    assert_eq!(app.screen.list.counted.1, counted.1 + 1, "not mended once");
    assert_eq!(selected_id(app), on, "the cursor moved");
    let mended = selected_ids(app);
    app.screen.list.invalidate();
    app.screen.list.refilter(&mut app.session);
    assert_eq!(selected_ids(app), mended, "not what a fresh list shows");
}

#[test]
fn a_save_here_or_in_another_session_mends_each_list_once() {
    let (_dir, _hub, mut alice, mut bob) = two_on_one_hub();
    searching(&mut bob);
    let on = selected_id(&bob);
    run(
        &mut alice,
        &[Action::Down, Action::Down, Action::Down, Action::Down],
    );
    let counted = bob.screen.list.counted;
    // Alice's key saves, and her own list takes it in the same way.
    let mine = alice.screen.list.counted;
    run(&mut alice, &[Action::SetStatus(Status::False)]);
    assert_eq!(alice.screen.list.counted.0, mine.0);
    assert_eq!(alice.screen.list.counted.1, mine.1 + 1);
    // Bob is behind until his loop takes the change in: one delta, one mend.
    assert!(bob.session.behind());
    mended_once(&mut bob, counted, &on);
    assert_eq!(
        bob.session.catalog().status_counts()[4],
        alice.session.catalog().status_counts()[4],
        "both count alice's false"
    );
}

#[test]
fn a_change_on_disk_a_new_file_and_a_removed_one_mend_each_list_once() {
    let (dir, hub, mut alice, mut bob) = two_on_one_hub();
    searching(&mut bob);
    run(&mut alice, &[Action::Bottom]);
    let (on_bob, on_alice) = (selected_id(&bob), selected_id(&alice));
    // Another process marks a claim of the last file.
    let last = hub.view().desk.files[2].head.claims[0].id.to_string();
    another_reviewer_marks(dir.path(), &last, Status::Verified);
    assert!(hub.check_disk());
    let (cb, ca) = (bob.screen.list.counted, alice.screen.list.counted);
    mended_once(&mut bob, cb, &on_bob);
    mended_once(&mut alice, ca, &on_alice);

    // A new article lands before the others by name: every file after it
    // is numbered one more, and the cursors stay on their claims.
    let doc = crate::synth::document(7, 6, 2);
    fs::write(
        dir.path().join("00000-new.yaml"),
        crate::store::render(&doc).expect("render"),
    )
    .expect("write");
    assert!(hub.check_disk());
    let (cb, ca) = (bob.screen.list.counted, alice.screen.list.counted);
    mended_once(&mut bob, cb, &on_bob);
    mended_once(&mut alice, ca, &on_alice);
    assert_eq!(alice.session.desk().claim_count(), 3 * 12 + 6);

    // And it goes again.
    fs::remove_file(dir.path().join("00000-new.yaml")).expect("remove");
    assert!(hub.check_disk());
    let (cb, ca) = (bob.screen.list.counted, alice.screen.list.counted);
    mended_once(&mut bob, cb, &on_bob);
    mended_once(&mut alice, ca, &on_alice);
    assert_eq!(bob.session.desk().claim_count(), 3 * 12);
}

#[test]
fn the_claim_under_the_cursor_leaving_the_list_is_told_once_it_is_taken_in() {
    let (_dir, _hub, mut alice, mut bob) = two_on_one_hub();
    bob.screen.list.filter = Filter {
        statuses: Some([Status::Unreviewed, Status::InReview].into()),
        ..Filter::default()
    };
    bob.screen.list.refilter(&mut bob.session);
    let target = selected_id(&bob);
    let next = selected_ids(&bob)[1].clone();
    // Alice marks the claim bob is on.
    while selected_id(&alice) != target {
        run(&mut alice, &[Action::Down]);
    }
    run(&mut alice, &[Action::SetStatus(Status::Verified)]);
    // Bob still sees it as he last saw it, until his loop takes the change in.
    assert_eq!(selected_id(&bob), target);
    update(&mut bob, Action::DeskChanged);
    assert_eq!(selected_id(&bob), next, "the claim now at that row");
    let m = message(&bob);
    assert!(
        m.contains(&format!("alice set {target} to verified"))
            && m.contains("left the list")
            && m.contains(&next),
        "{m}"
    );
}
