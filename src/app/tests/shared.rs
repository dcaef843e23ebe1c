//! Two reviewers on one desk: nobody's newer work is replaced without
//! them being told, and undo takes back only one's own.

use std::path::Path;

use super::*;

/// A second reviewer's desk on the same files.
fn second(dir: &Path, name: &str) -> App {
    let desk = Desk::load(dir).expect("loads");
    new_app_with(Session::new(desk, Some(name.into())))
}

#[test]
fn a_note_saved_meanwhile_is_never_replaced_silently() {
    let (dir, mut bob) = state();
    let mut alice = second(dir.path(), "alice2");
    // Bob opens the note prompt on alb-01 and writes.
    run(&mut bob, &[Action::EditNote]);
    typed(&mut bob, "bob's finding");
    // Alice saves a note on the same claim meanwhile.
    run(&mut alice, &[Action::EditNote]);
    typed(&mut alice, "alice's source");
    run(&mut alice, &[Action::Confirm]);
    // Bob presses Enter: nothing is replaced; he is shown both.
    run(&mut bob, &[Action::Confirm]);
    assert_eq!(
        on_disk(dir.path(), "alb-01").note.as_deref(),
        Some("alice's source")
    );
    let Some(Overlay::NoteConflict {
        theirs, mine, who, ..
    }) = &bob.screen.overlay
    else {
        panic!("no conflict shown: {:?}", bob.screen.overlay)
    };
    assert_eq!(theirs.as_deref(), Some("alice's source"));
    assert_eq!(mine, "bob's finding");
    assert!(who.contains("alice2"), "{who}");
    assert_eq!(bob.context(), Context::NoteConflict);
    // Merge: both, to edit; Enter saves them together.
    run(&mut bob, &[Action::Merge, Action::Confirm]);
    assert_eq!(
        on_disk(dir.path(), "alb-01").note.as_deref(),
        Some("alice's source\n\nbob's finding")
    );
}

/// Two reviewers add to the same note: the merge keeps the lines both
/// started from once, then theirs, then what only mine adds.
#[test]
fn a_merged_note_keeps_what_both_kept_once() {
    let (dir, mut bob) = state();
    let mut alice = second(dir.path(), "alice2");
    run(&mut bob, &[Action::EditNote]);
    typed(&mut bob, "line A");
    run(&mut bob, &[Action::Newline]);
    typed(&mut bob, "line B");
    run(&mut bob, &[Action::Confirm]);
    run(&mut alice, &[Action::CheckDisk]);
    // Both open the two-line note and add a line of their own.
    run(&mut bob, &[Action::EditNote, Action::Newline]);
    typed(&mut bob, "bob adds");
    run(&mut alice, &[Action::EditNote, Action::Newline]);
    typed(&mut alice, "alice adds");
    run(&mut alice, &[Action::Confirm]);
    run(&mut bob, &[Action::Confirm, Action::Merge, Action::Confirm]);
    assert_eq!(
        on_disk(dir.path(), "alb-01").note.as_deref(),
        Some("line A\nline B\nalice adds\n\nbob adds")
    );
}

#[test]
fn keeping_theirs_or_mine_after_a_note_conflict() {
    let (dir, mut bob) = state();
    let mut alice = second(dir.path(), "alice2");
    run(&mut bob, &[Action::EditNote]);
    typed(&mut bob, "mine");
    run(&mut alice, &[Action::EditNote]);
    typed(&mut alice, "theirs");
    run(&mut alice, &[Action::Confirm]);
    run(&mut bob, &[Action::Confirm, Action::KeepTheirs]);
    assert_eq!(
        on_disk(dir.path(), "alb-01").note.as_deref(),
        Some("theirs")
    );
    assert!(bob.screen.overlay.is_none());
    // Again, and this time keep mine: an explicit choice replaces theirs.
    run(&mut bob, &[Action::EditNote, Action::ClearInput]);
    typed(&mut bob, "mine");
    run(&mut alice, &[Action::EditNote, Action::ClearInput]);
    typed(&mut alice, "theirs again");
    run(&mut alice, &[Action::Confirm]);
    run(&mut bob, &[Action::Confirm, Action::KeepMine]);
    assert_eq!(on_disk(dir.path(), "alb-01").note.as_deref(), Some("mine"));
}

#[test]
fn a_status_someone_changed_meanwhile_needs_the_key_again() {
    let (dir, mut bob) = state();
    let mut alice = second(dir.path(), "alice2");
    run(&mut alice, &[Action::SetStatus(Status::False)]);
    // Bob has not looked at the disk since: he still sees unreviewed.
    assert_eq!(
        bob.selected_claim().map(|c| c.status),
        Some(Status::Unreviewed)
    );
    run(&mut bob, &[Action::Digit(3)]);
    assert_eq!(on_disk(dir.path(), "alb-01").status, Status::False);
    let m = message(&bob);
    assert!(
        m.contains("alice2 set it to false") && m.contains("press 3 again"),
        "{m}"
    );
    // His desk shows alice's verdict now; the same key again confirms.
    assert_eq!(bob.selected_claim().map(|c| c.status), Some(Status::False));
    run(&mut bob, &[Action::Digit(3)]);
    let c = on_disk(dir.path(), "alb-01");
    assert_eq!(c.status, Status::Verified);
    assert_eq!(c.history.last().map(|h| h.previous()), Some(Status::False));
}

#[test]
fn undo_refuses_to_take_back_someone_elses_later_change() {
    let (dir, mut bob) = state();
    let mut alice = second(dir.path(), "alice2");
    run(&mut bob, &[Action::SetStatus(Status::Verified)]);
    run(&mut alice, &[Action::CheckDisk]);
    run(&mut alice, &[Action::SetStatus(Status::False)]);
    run(&mut bob, &[Action::Undo]);
    assert_eq!(on_disk(dir.path(), "alb-01").status, Status::False);
    let m = message(&bob);
    assert!(m.contains("cannot undo") && m.contains("alice2"), "{m}");
    // Refused, the step stays: refused again while alice's change stands,
    // and nothing of hers was touched.
    run(&mut bob, &[Action::Undo]);
    assert!(message(&bob).contains("cannot undo"), "{}", message(&bob));
    assert_eq!(on_disk(dir.path(), "alb-01").status, Status::False);
    // Once alice undoes hers, bob's undo is his own change again, not an older one.
    run(&mut alice, &[Action::CheckDisk, Action::Undo]);
    assert_eq!(on_disk(dir.path(), "alb-01").status, Status::Verified);
    run(&mut bob, &[Action::CheckDisk, Action::Undo]);
    assert_eq!(on_disk(dir.path(), "alb-01").status, Status::Unreviewed);
    assert!(
        message(&bob).contains("undone on alb-01"),
        "{}",
        message(&bob)
    );
}

#[test]
fn undo_goes_one_step_at_a_time_redo_comes_back_and_filters_stay() {
    let (dir, mut s) = state();
    let unreviewed = Filter {
        statuses: Some([Status::Unreviewed, Status::Verified, Status::False].into()),
        ..Filter::default()
    };
    s.screen.list.filter = unreviewed.clone();
    s.screen.list.refilter(&mut s.session);
    // Both marks are on alb-01: the cursor stays on it.
    run(&mut s, &[Action::ToggleAdvance]);
    run(&mut s, &[Action::SetStatus(Status::Verified)]);
    run(&mut s, &[Action::SetStatus(Status::False)]);
    run(&mut s, &[Action::Undo]);
    assert_eq!(on_disk(dir.path(), "alb-01").status, Status::Verified);
    let m = message(&s);
    assert!(
        m.contains("undone on alb-01") && m.contains("status false -> verified"),
        "{m}"
    );
    assert_eq!(
        s.screen.list.filter, unreviewed,
        "undo never clears filters"
    );
    run(&mut s, &[Action::Undo]);
    assert_eq!(on_disk(dir.path(), "alb-01").status, Status::Unreviewed);
    run(&mut s, &[Action::Redo]);
    assert_eq!(on_disk(dir.path(), "alb-01").status, Status::Verified);
    assert!(message(&s).contains("redone on alb-01"), "{}", message(&s));
    let c = on_disk(dir.path(), "alb-01");
    let undos = c.history.iter().filter(|h| h.undo).count();
    assert_eq!(
        (c.history.len(), undos),
        (5, 2),
        "every step stays in history"
    );
}

#[test]
fn undo_of_a_note_says_what_came_back() {
    let (dir, mut s) = state();
    run(&mut s, &[Action::EditNote]);
    typed(&mut s, "first");
    run(
        &mut s,
        &[Action::Confirm, Action::EditNote, Action::ClearInput],
    );
    typed(&mut s, "second");
    run(&mut s, &[Action::Confirm, Action::Undo]);
    assert_eq!(on_disk(dir.path(), "alb-01").note.as_deref(), Some("first"));
    assert!(
        message(&s).contains("note is «first» again"),
        "{}",
        message(&s)
    );
}

#[test]
fn another_reviewers_change_to_the_selected_claim_is_told() {
    let (dir, mut bob) = state();
    run(&mut bob, &[Action::Down]);
    another_reviewer_marks(dir.path(), "alb-02", Status::False);
    run(&mut bob, &[Action::CheckDisk]);
    let m = message(&bob);
    assert!(m.contains("bob set alb-02 to false"), "{m}");
    assert_eq!(selected_id(&bob), "alb-02");
}

#[test]
fn a_claim_that_leaves_the_filtered_list_is_told_with_where_the_cursor_went() {
    let (dir, mut s) = state();
    s.screen.list.filter = Filter {
        statuses: Some([Status::Unreviewed].into()),
        ..Filter::default()
    };
    s.screen.list.refilter(&mut s.session);
    run(&mut s, &[Action::Down]);
    assert_eq!(selected_id(&s), "alb-02");
    another_reviewer_marks(dir.path(), "alb-02", Status::False);
    run(&mut s, &[Action::CheckDisk]);
    assert_eq!(selected_id(&s), "alb-03", "the claim now at that place");
    let m = message(&s);
    assert!(
        m.contains("bob set alb-02 to false")
            && m.contains("left the list")
            && m.contains("alb-03"),
        "{m}"
    );
}
