//! The reviewer's workbench: the note editor, evidence from the keyboard,
//! messages.

use super::*;
use crate::app::keymap::{Key, KeyCode};

fn key(s: &mut App, k: Key) -> Outcome {
    let action = keymap::action_for(s.context(), &k).expect("the key does something here");
    update(s, action)
}

fn plain(code: KeyCode) -> Key {
    Key::plain(code)
}

#[test]
fn the_note_editor_moves_breaks_lines_and_deletes_words() {
    let (dir, mut s) = state();
    run(&mut s, &[Action::EditNote]);
    for c in "first line".chars() {
        key(&mut s, Key::char(c));
    }
    // Alt-Enter and Ctrl-j break the line; Enter would save.
    key(
        &mut s,
        Key {
            code: KeyCode::Enter,
            ctrl: false,
            alt: true,
        },
    );
    for c in "second wrong".chars() {
        key(&mut s, Key::char(c));
    }
    key(&mut s, Key::ctrl('w'));
    for c in "right".chars() {
        key(&mut s, Key::char(c));
    }
    key(&mut s, Key::ctrl('j'));
    for c in "third".chars() {
        key(&mut s, Key::char(c));
    }
    // Home, then type at the start of the line.
    key(&mut s, plain(KeyCode::Home));
    key(&mut s, Key::char('>'));
    // Left across a character, then type before it.
    key(&mut s, plain(KeyCode::End));
    key(&mut s, plain(KeyCode::Left));
    key(&mut s, Key::char('_'));
    key(&mut s, plain(KeyCode::Enter));
    assert_eq!(
        on_disk(dir.path(), "alb-01").note.as_deref(),
        Some("first line\nsecond right\n>thir_d")
    );
    assert!(s.screen.overlay.is_none());
}

#[test]
fn ctrl_c_in_the_editor_keeps_the_draft_and_the_desk() {
    let (dir, mut s) = state();
    run(&mut s, &[Action::EditNote]);
    for c in "draft".chars() {
        key(&mut s, Key::char(c));
    }
    let out = key(&mut s, Key::ctrl('c'));
    assert!(!out.quit, "Ctrl-c quit the desk from the editor");
    assert_eq!(s.context(), Context::Note, "the editor is still open");
    let Some(Overlay::Note(ed)) = &s.screen.overlay else {
        panic!("no editor")
    };
    assert_eq!(ed.text(), "draft");
    assert!(message(&s).contains("Enter saves"), "{}", message(&s));
    // Esc on a changed draft asks; a key after that goes back to writing.
    key(&mut s, plain(KeyCode::Esc));
    assert_eq!(s.context(), Context::Note);
    assert!(
        message(&s).contains("again drops your changes"),
        "{}",
        message(&s)
    );
    key(&mut s, Key::char('!'));
    key(&mut s, plain(KeyCode::Esc));
    key(&mut s, plain(KeyCode::Esc));
    assert!(s.screen.overlay.is_none(), "the second Esc drops it");
    assert_eq!(on_disk(dir.path(), "alb-01").note, None);
    // An unchanged draft closes at once.
    run(&mut s, &[Action::EditNote]);
    key(&mut s, plain(KeyCode::Esc));
    assert!(s.screen.overlay.is_none());
}

#[test]
fn a_paste_goes_into_the_note_whole_line_breaks_included() {
    let (dir, mut s) = state();
    run(&mut s, &[Action::EditNote]);
    update(&mut s, Action::Paste("one\r\ntwo".into()));
    key(&mut s, plain(KeyCode::Enter));
    assert_eq!(
        on_disk(dir.path(), "alb-01").note.as_deref(),
        Some("one\ntwo")
    );
}

#[test]
fn evidence_is_added_edited_and_removed_from_the_keyboard() {
    let (dir, mut s) = state();
    key(&mut s, Key::char('E'));
    assert_eq!(s.context(), Context::Evidence);
    key(&mut s, Key::char('a'));
    assert_eq!(s.context(), Context::EvidenceInput);
    update(
        &mut s,
        Action::Paste("  https://rama.example/tweet/1 \n".into()),
    );
    key(&mut s, plain(KeyCode::Enter));
    key(&mut s, Key::char('a'));
    for c in "javascript:alert(1)".chars() {
        key(&mut s, Key::char(c));
    }
    key(&mut s, plain(KeyCode::Enter));
    assert!(
        message(&s).contains("not an http or https URL"),
        "{}",
        message(&s)
    );
    assert_eq!(
        s.context(),
        Context::EvidenceInput,
        "the URL stays to be fixed"
    );
    key(&mut s, Key::ctrl('u'));
    for c in "https://mod.gov.al/statement".chars() {
        key(&mut s, Key::char(c));
    }
    key(&mut s, plain(KeyCode::Enter));
    let c = on_disk(dir.path(), "alb-01");
    assert_eq!(
        c.evidence,
        [
            "https://rama.example/tweet/1",
            "https://mod.gov.al/statement"
        ]
    );
    // Edit the first, remove the second.
    run(&mut s, &[Action::Up, Action::Up]);
    key(&mut s, Key::char('e'));
    key(&mut s, plain(KeyCode::Backspace));
    key(&mut s, Key::char('2'));
    key(&mut s, plain(KeyCode::Enter));
    key(&mut s, plain(KeyCode::Down));
    key(&mut s, Key::char('d'));
    let c = on_disk(dir.path(), "alb-01");
    assert_eq!(c.evidence, ["https://rama.example/tweet/2"]);
    // Each addition and removal is its own history entry; none restates the status.
    let what: Vec<String> = c.history.iter().map(|h| h.what()).collect();
    assert_eq!(
        what,
        [
            "added evidence https://rama.example/tweet/1",
            "added evidence https://mod.gov.al/statement",
            "added evidence https://rama.example/tweet/2; removed evidence https://rama.example/tweet/1",
            "removed evidence https://mod.gov.al/statement",
        ]
    );
    assert_eq!(c.status, Status::Unreviewed);
    key(&mut s, plain(KeyCode::Esc));
    assert_eq!(s.context(), Context::List);
}

#[test]
fn info_goes_with_the_next_key_an_error_stays_and_both_are_in_the_log() {
    let (_d, mut s) = state();
    run(&mut s, &[Action::ClearFilters]);
    assert_eq!(message(&s), "filters cleared");
    run(&mut s, &[Action::Down]);
    assert_eq!(message(&s), "", "an info message goes with the next key");
    run(&mut s, &[Action::Digit(9)]);
    assert!(message(&s).contains("no status on key 9"));
    run(&mut s, &[Action::Down, Action::Up]);
    assert!(message(&s).contains("no status on key 9"), "an error stays");
    // Time passing takes an info message away, not an error.
    update(&mut s, Action::Tick);
    assert!(message(&s).contains("no status on key 9"));
    let log: Vec<String> = s.screen.log().map(|m| m.text.clone()).collect();
    assert_eq!(log[0], message(&s), "newest first");
    assert!(log.contains(&"filters cleared".to_string()));
    run(&mut s, &[Action::Messages]);
    assert!(matches!(s.screen.overlay, Some(Overlay::Messages { .. })));
}

#[test]
fn the_review_queue_jumps_marks_and_moves_on() {
    let (dir, mut s) = state();
    s.set_advance_pause(std::time::Duration::ZERO);
    run(&mut s, &[Action::SetStatus(Status::Verified)]);
    // The cursor waits on the claim marked (its note comes next)...
    assert_eq!(selected_id(&s), "alb-01");
    // ...and after a pause goes on to the next without a verdict, and says so.
    update(&mut s, Action::Tick);
    assert_eq!(selected_id(&s), "alb-02");
    assert!(message(&s).contains("on to alb-02"), "{}", message(&s));
    run(&mut s, &[Action::SetStatus(Status::False)]);
    update(&mut s, Action::Tick);
    run(&mut s, &[Action::SetStatus(Status::Misleading)]);
    update(&mut s, Action::Tick);
    assert_eq!(selected_id(&s), "alb-04");
    // [ goes back only to claims still to do: none above now, so it wraps
    // round to the last one, and says so; ] from there wraps to the top.
    run(&mut s, &[Action::PrevUnreviewed]);
    assert_eq!(selected_id(&s), "alb-54");
    assert!(
        message(&s).contains("wrapped to the bottom"),
        "{}",
        message(&s)
    );
    run(&mut s, &[Action::NextUnreviewed]);
    assert_eq!(selected_id(&s), "alb-04");
    assert!(
        message(&s).contains("wrapped to the top"),
        "{}",
        message(&s)
    );
    run(&mut s, &[Action::Top, Action::NextUnreviewed]);
    assert_eq!(selected_id(&s), "alb-04");
    // A turns moving on off.
    run(
        &mut s,
        &[Action::ToggleAdvance, Action::SetStatus(Status::Verified)],
    );
    assert_eq!(selected_id(&s), "alb-04");
    assert_eq!(on_disk(dir.path(), "alb-03").status, Status::Misleading);
}

#[test]
fn several_selected_claims_are_marked_with_one_digit_each_its_own_entry() {
    let (dir, mut s) = state();
    run(&mut s, &[Action::Select, Action::Down, Action::Select]);
    assert_eq!(s.screen.list.marked_count(), 2);
    run(&mut s, &[Action::Digit(6)]);
    for id in ["alb-01", "alb-03"] {
        let c = on_disk(dir.path(), id);
        assert_eq!(
            (c.status, c.history.len()),
            (Status::Unverifiable, 1),
            "{id}"
        );
    }
    assert_eq!(on_disk(dir.path(), "alb-02").status, Status::Unreviewed);
    assert_eq!(s.screen.list.marked_count(), 0);
    assert!(
        message(&s).contains("marked 2 claim(s) unverifiable"),
        "{}",
        message(&s)
    );
}

#[test]
fn sorting_and_the_claims_i_changed() {
    let (_d, mut s) = state();
    run(
        &mut s,
        &[Action::Down, Action::Down, Action::SetStatus(Status::False)],
    );
    run(&mut s, &[Action::ChangedByMe]);
    let mine: Vec<String> = s
        .screen
        .list
        .visible
        .iter()
        .filter_map(|r| s.session.claim(*r))
        .map(|c| c.id.0.to_string())
        .collect();
    assert_eq!(mine, ["alb-03"]);
    run(&mut s, &[Action::ChangedByMe]);
    assert_eq!(s.screen.list.visible.len(), 54);
    // By status (scale order): the one false claim comes after the unreviewed.
    run(&mut s, &[Action::Sort, Action::Sort]);
    assert_eq!(s.screen.list.sort, crate::query::Sort::Status);
    let last = s
        .screen
        .list
        .visible
        .last()
        .and_then(|r| s.session.claim(*r));
    assert_eq!(last.map(|c| c.id.0.as_str()), Some("alb-03"));
    // Last change: the changed claim first.
    run(&mut s, &[Action::Sort, Action::Sort]);
    let first = s
        .screen
        .list
        .visible
        .first()
        .and_then(|r| s.session.claim(*r));
    assert_eq!(first.map(|c| c.id.0.as_str()), Some("alb-03"));
}

#[test]
fn pickers_filter_as_you_type_and_the_status_digits_choose() {
    let (dir, mut s) = state();
    key(&mut s, Key::char('s'));
    key(&mut s, Key::char('/'));
    assert_eq!(s.context(), Context::PickerFilter);
    for c in "white".chars() {
        key(&mut s, Key::char(c));
    }
    let Some(Overlay::Picker(p)) = &s.screen.overlay else {
        panic!("no picker")
    };
    let shown: Vec<&str> = p
        .shown()
        .iter()
        .map(|&i| p.entries[i].label.as_str())
        .collect();
    assert_eq!(
        shown,
        [
            "The White House",
            "White House press secretary Karine Jean-Pierre"
        ]
    );
    key(&mut s, plain(KeyCode::Enter));
    key(&mut s, plain(KeyCode::Enter));
    assert_eq!(s.screen.list.visible.len(), 7);
    // The status picker: the digit it prints chooses.
    let c = s.selected_claim().map(|c| c.id.clone()).expect("a claim");
    key(&mut s, Key::char(' '));
    key(&mut s, Key::char('4'));
    assert!(s.screen.overlay.is_none());
    assert_eq!(on_disk(dir.path(), &c.0).status, Status::Misleading);
    // g/G in a picker.
    key(&mut s, Key::char('f'));
    key(&mut s, Key::char('G'));
    let Some(Overlay::Picker(p)) = &s.screen.overlay else {
        panic!("no picker")
    };
    assert_eq!(p.cursor, p.entries.len() - 1);
}

#[test]
fn esc_goes_back_the_way_you_came_and_idle_keys_say_so() {
    let (_d, mut s) = state();
    key(&mut s, plain(KeyCode::Enter));
    key(&mut s, Key::char('a'));
    assert_eq!(s.context(), Context::Article);
    key(&mut s, plain(KeyCode::Esc));
    assert_eq!(
        s.context(),
        Context::Claim,
        "back to the claim, not the list"
    );
    key(&mut s, plain(KeyCode::Esc));
    assert_eq!(s.context(), Context::List);
    // In the article, `t` (the list's text/translation switch) says it does nothing there.
    key(&mut s, Key::char('a'));
    let k = Key::char('t');
    assert_eq!(keymap::action_for(s.context(), &k), None);
    update(&mut s, Action::Unbound(k));
    assert!(!s.screen.show_translation);
    assert_eq!(
        message(&s),
        "t does nothing in the article; ? lists the keys"
    );
}

/// Verdict first, then the reason: right after a mark, the note, the
/// evidence and a copy reach the claim marked, not the next one.
#[test]
fn a_note_written_right_after_a_mark_lands_on_the_claim_marked() {
    let (dir, mut s) = state();
    run(
        &mut s,
        &[Action::SetStatus(Status::Verified), Action::EditNote],
    );
    for c in "why".chars() {
        update(&mut s, Action::Input(c));
    }
    update(&mut s, Action::Confirm);
    assert_eq!(on_disk(dir.path(), "alb-01").note.as_deref(), Some("why"));
    assert_eq!(on_disk(dir.path(), "alb-02").note, None);
    // Having written it, the reviewer moves on by themselves: no jump later.
    s.set_advance_pause(std::time::Duration::ZERO);
    update(&mut s, Action::Tick);
    assert_eq!(selected_id(&s), "alb-01");
}

/// A bulk mark is one key: one undo step for all the claims it marked.
#[test]
fn a_bulk_mark_is_one_undo_step() {
    let (dir, mut s) = state();
    run(&mut s, &[Action::Select, Action::Select, Action::Select]);
    run(&mut s, &[Action::Digit(5)]);
    for id in ["alb-01", "alb-02", "alb-03"] {
        assert_eq!(on_disk(dir.path(), id).status, Status::False, "{id}");
    }
    run(&mut s, &[Action::Undo]);
    for id in ["alb-01", "alb-02", "alb-03"] {
        assert_eq!(on_disk(dir.path(), id).status, Status::Unreviewed, "{id}");
    }
    assert!(
        message(&s).contains("undone on 3 claims"),
        "{}",
        message(&s)
    );
    run(&mut s, &[Action::Redo]);
    for id in ["alb-01", "alb-02", "alb-03"] {
        assert_eq!(on_disk(dir.path(), id).status, Status::False, "{id}");
    }
}

/// After a filter the cursor is on the claim it was on if it is still
/// listed, else at the top: never on whatever claim took its row number.
#[test]
fn a_filter_keeps_the_claim_or_goes_to_the_top() {
    let (_dir, mut s) = state();
    run(
        &mut s,
        &[Action::Down, Action::Down, Action::Down, Action::Down],
    );
    assert_eq!(selected_id(&s), "alb-05");
    // Still listed: the cursor stays on it.
    s.screen.list.filter.statuses = Some([Status::Unreviewed].into());
    s.screen.list.refilter(&mut s.session);
    assert_eq!(selected_id(&s), "alb-05");
    // Filtered out: the top of the new list.
    s.screen.list.filter = Filter {
        sources: Some([crate::model::SourceId("nato".into())].into()),
        ..Filter::default()
    };
    s.screen.list.refilter(&mut s.session);
    assert_eq!(s.screen.list.selected, 0);
    assert_eq!(selected_id(&s), "alb-16");
}

/// The same verdict again writes nothing (history stays what was decided).
#[test]
fn the_same_verdict_again_writes_nothing_and_says_so() {
    let (dir, mut s) = state();
    run(
        &mut s,
        &[Action::ToggleAdvance, Action::SetStatus(Status::Verified)],
    );
    run(&mut s, &[Action::SetStatus(Status::Verified)]);
    assert!(message(&s).contains("verified already"), "{}", message(&s));
    assert_eq!(on_disk(dir.path(), "alb-01").history.len(), 1);
}

/// `:` goes to any claim by its id, clearing a filter that hides it.
#[test]
fn a_claim_is_one_key_and_its_id_away() {
    let (_dir, mut s) = state();
    s.screen.list.filter.statuses = Some([Status::Verified].into());
    s.screen.list.refilter(&mut s.session);
    assert!(s.screen.list.visible.is_empty());
    run(&mut s, &[Action::GoTo]);
    for c in "alb-54".chars() {
        update(&mut s, Action::Input(c));
    }
    update(&mut s, Action::Confirm);
    assert_eq!(selected_id(&s), "alb-54", "{}", message(&s));
    assert!(s.screen.list.filter.statuses.is_none(), "the filter hid it");
    // Typed in part, the listed claims narrow; Enter goes to the one shown.
    run(&mut s, &[Action::GoTo]);
    for c in "alb-0".chars() {
        update(&mut s, Action::Input(c));
    }
    update(&mut s, Action::Confirm);
    assert!(selected_id(&s).starts_with("alb-0"), "{}", selected_id(&s));
}

/// Stats count what a reviewer decided: an undo takes a verdict back, a
/// redo is not a second one, and a claim counts once.
#[test]
fn stats_count_decisions_not_keystrokes() {
    let (_dir, mut s) = state();
    run(
        &mut s,
        &[
            Action::ToggleAdvance,
            Action::SetStatus(Status::Verified),
            Action::Undo,
            Action::Redo,
            Action::SetStatus(Status::False),
            Action::Down,
            Action::SetStatus(Status::Misleading),
            Action::Undo,
        ],
    );
    let who = s.session.reviewer().expect("a reviewer").to_string();
    let me = crate::query::reviewer_activity(s.session.desk())
        .into_iter()
        .find(|a| a.reviewer == who)
        .expect("activity");
    assert_eq!(me.changes, 6, "every change is history");
    assert_eq!(me.verdicts, 1, "alb-01 false; alb-02 undone");
}
