//! The state machine, driven by actions alone: no terminal, no drawing.

mod deltas;
mod shared;
mod workbench;

use std::path::Path;

use super::*;
use crate::model::{ClaimId, SourceId, Status};
use crate::query::{Facets, Filter, SearchIndex, status_counts};
use crate::store::{Change, Desk, Edit};
use crate::text::Bidi;

fn new_app(desk: Desk) -> App {
    new_app_with(Session::new(desk, Some("alice".into())))
}

fn new_app_with(session: Session) -> App {
    let display = Display {
        bidi: Bidi::Reorder,
        bidi_choice: Default::default(),
        color: false,
        time_zone: jiff::tz::TimeZone::UTC,
    };
    let caps = Capabilities {
        editor: true,
        suspend: true,
    };
    App::new(session, Screen::new(display, caps))
}

/// A desk on a private copy of the shipped claims, since updates write.
fn state() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("temp dir");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("claims");
    for e in std::fs::read_dir(shipped).expect("claims dir").flatten() {
        if e.file_name().to_string_lossy().ends_with(".yaml") {
            std::fs::copy(e.path(), dir.path().join(e.file_name())).expect("copy");
        }
    }
    let desk = Desk::load(dir.path()).expect("loads");
    (dir, new_app(desk))
}

fn run(s: &mut App, actions: &[Action]) {
    for a in actions {
        update(s, a.clone());
    }
}

fn typed(s: &mut App, text: &str) {
    for c in text.chars() {
        update(s, Action::Input(c));
    }
}

fn selected_id(s: &App) -> String {
    s.selected_claim()
        .map(|c| c.id.0.to_string())
        .unwrap_or_default()
}

/// Bob, in another process as far as this desk knows, saves a status.
fn another_reviewer_marks(dir: &Path, id: &str, status: Status) {
    let mut other = Desk::load(dir).expect("loads");
    let edit = Edit::Status {
        status,
        note: None,
        evidence: vec![],
    };
    let change = Change {
        claim: ClaimId(id.into()),
        by: "bob".into(),
        at: "2026-11-28T10:00:00Z".into(),
        edit,
        seen: None,
    };
    other.apply(&change).expect("bob saves");
}

fn selected_ids(s: &App) -> Vec<String> {
    s.screen
        .list
        .visible
        .iter()
        .filter_map(|r| s.session.desk().get(*r))
        .map(|c| c.id.0.to_string())
        .collect()
}

/// The claims shown with `filter` alone, then with no filter but a search for `query`.
fn filtered_then_searched(s: &mut App, filter: Filter, query: &str) -> [Vec<String>; 2] {
    s.screen.list.filter = filter;
    s.screen.list.refilter(&mut s.session);
    let filtered = selected_ids(s);
    s.screen.list.filter = Filter::default();
    run(s, &[Action::SearchStart]);
    typed(s, query);
    [filtered, selected_ids(s)]
}

fn on_disk(dir: &Path, id: &str) -> Claim {
    let desk = Desk::load(dir).expect("reload");
    desk.get(desk.find(&ClaimId(id.into())).expect("id"))
        .expect("claim")
        .clone()
}

#[test]
fn moving_stays_within_the_list() {
    let (_d, mut s) = state();
    run(&mut s, &[Action::Up]);
    assert_eq!(s.screen.list.selected, 0);
    run(&mut s, &[Action::Down, Action::Down]);
    assert_eq!(selected_id(&s), "alb-03");
    run(&mut s, &[Action::Bottom]);
    assert_eq!(s.screen.list.selected, s.screen.list.visible.len() - 1);
    run(&mut s, &[Action::Down, Action::Top]);
    assert_eq!(s.screen.list.selected, 0);
    let layout = Layout {
        list_rows: 9,
        ..Layout::default()
    };
    run(
        &mut s,
        &[Action::Top, Action::Layout(layout), Action::PageDown],
    );
    assert_eq!(s.screen.list.selected, 9, "a page is what the frame showed");
}

#[test]
fn search_filters_as_you_type_enter_keeps_esc_clears() {
    let (_d, mut s) = state();
    run(&mut s, &[Action::SearchStart]);
    assert_eq!(s.context(), Context::Search);
    typed(&mut s, "tol");
    assert_eq!(
        s.screen.list.visible.len(),
        1,
        "only the Treasury's 'will not tolerate'"
    );
    run(
        &mut s,
        &[Action::Backspace, Action::Backspace, Action::Backspace],
    );
    assert_eq!(s.screen.list.visible.len(), 54);
    typed(&mut s, "article 5");
    let kept = s.screen.list.visible.len();
    assert!(kept >= 3, "{kept}");
    run(&mut s, &[Action::Confirm]);
    assert!(s.screen.overlay.is_none());
    assert_eq!(s.screen.list.visible.len(), kept);
    run(&mut s, &[Action::SearchStart, Action::Back]);
    assert_eq!(s.screen.list.visible.len(), 54);
}

#[test]
fn arabic_search_ignores_harakat_and_hamza() {
    let (_d, mut s) = state();
    run(&mut s, &[Action::SearchStart]);
    // The article writes "مشدّدة"-style shadda and "الأمريكية" with hamza; type neither.
    typed(&mut s, "الامريكية");
    let plain = s.screen.list.visible.len();
    assert!(plain > 0);
    run(&mut s, &[Action::ClearInput]);
    typed(&mut s, "الأمريكيـة");
    assert_eq!(s.screen.list.visible.len(), plain);
}

/// `s`, down to the White House, Enter: the list filtered to it.
fn filter_to_white_house(s: &mut App) {
    run(s, &[Action::SourcePicker]);
    let Some(Overlay::Picker(p)) = &s.screen.overlay else {
        panic!("no picker")
    };
    let white_house = p
        .entries
        .iter()
        .position(|e| e.label == "The White House")
        .expect("listed");
    for _ in 0..white_house {
        update(s, Action::Down);
    }
    run(s, &[Action::Confirm]);
}

#[test]
fn source_picker_applies_the_highlighted_source_with_its_children() {
    let (_d, mut s) = state();
    filter_to_white_house(&mut s);
    assert_eq!(
        s.screen.list.visible.len(),
        7,
        "White House 1 + NSC 4 + press secretary 2"
    );
    run(&mut s, &[Action::ClearFilters]);
    assert_eq!(s.screen.list.visible.len(), 54);
}

/// With a source filter on, typing another name and Enter picks that
/// one: entries the typed filter hides do not win, and that is said.
#[test]
fn a_typed_source_name_and_enter_pick_that_source() {
    let (_d, mut s) = state();
    filter_to_white_house(&mut s);
    assert_eq!(s.screen.list.visible.len(), 7);
    // The picker opens with White House ticked; /طهران Enter Enter.
    run(&mut s, &[Action::SourcePicker, Action::SearchStart]);
    typed(&mut s, "طهران");
    run(&mut s, &[Action::Confirm, Action::Confirm]);
    let sources: std::collections::HashSet<String> = (s.screen.list.visible.iter())
        .filter_map(|r| s.session.desk().get(*r))
        .map(|c| c.source.0.to_string())
        .collect();
    assert!(sources.contains("iran-government"), "{sources:?}");
    assert!(!sources.contains("white-house"), "{sources:?}");
    let said = s
        .screen
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.contains("hidden by the filter"), "{said}");
}

#[test]
fn space_toggles_several_sources_and_combines_with_search() {
    let (_d, mut s) = state();
    run(&mut s, &[Action::SourcePicker]);
    let Some(Overlay::Picker(p)) = &s.screen.overlay else {
        panic!("no picker")
    };
    let pos = |name: &str| p.entries.iter().position(|e| e.label == name).expect(name);
    let (nato, treasury) = (pos("NATO"), pos("US Treasury Department"));
    for i in 0..=treasury {
        if i == nato || i == treasury {
            update(&mut s, Action::Toggle);
        }
        update(&mut s, Action::Down);
    }
    run(&mut s, &[Action::Confirm]);
    assert_eq!(s.screen.list.visible.len(), 4 + 3);
    run(&mut s, &[Action::SearchStart]);
    typed(&mut s, "cyber");
    run(&mut s, &[Action::Confirm]);
    assert!(s.screen.list.visible.len() < 7 && !s.screen.list.visible.is_empty());
    for r in &s.screen.list.visible {
        let c = s.session.desk().get(*r).expect("claim");
        assert!(["nato", "nato-member-states", "us-treasury"].contains(&c.source.0.as_str()));
    }
}

#[test]
fn selection_is_kept_through_filtering() {
    let (_d, mut s) = state();
    for _ in 0..27 {
        update(&mut s, Action::Down);
    }
    assert_eq!(selected_id(&s), "alb-28");
    run(&mut s, &[Action::SearchStart]);
    typed(&mut s, "nato");
    assert_eq!(selected_id(&s), "alb-28", "still matches, still selected");
    run(&mut s, &[Action::Back]);
    assert_eq!(selected_id(&s), "alb-28");
}

#[test]
fn status_keys_save_at_once_and_undo_is_recorded() {
    let (dir, mut s) = state();
    run(&mut s, &[Action::Down, Action::SetStatus(Status::False)]);
    let c = on_disk(dir.path(), "alb-02");
    assert_eq!(c.status, Status::False);
    assert_eq!(c.history.len(), 1);
    assert_eq!(c.history[0].by, "alice");
    run(&mut s, &[Action::Down, Action::Undo]);
    assert_eq!(selected_id(&s), "alb-02", "undo goes back to its claim");
    let c = on_disk(dir.path(), "alb-02");
    assert_eq!(c.status, Status::Unreviewed);
    assert_eq!(c.history.len(), 2, "undo is added to history, not erased");
    assert!(c.history[1].undo);
    run(&mut s, &[Action::Undo]);
    assert_eq!(
        s.screen.message.as_ref().map(|m| m.text.as_str()),
        Some("nothing to undo")
    );
}

#[test]
fn status_picker_and_status_filter() {
    let (dir, mut s) = state();
    run(
        &mut s,
        &[
            Action::StatusPicker,
            Action::Down,
            Action::Down,
            Action::Confirm,
        ],
    );
    assert_eq!(on_disk(dir.path(), "alb-01").status, Status::Verified);
    run(
        &mut s,
        &[
            Action::StatusFilterPicker,
            Action::Down,
            Action::Down,
            Action::Confirm,
        ],
    );
    assert_eq!(s.screen.list.visible.len(), 1);
    // Changing the only shown claim's status makes it leave the filtered list.
    run(&mut s, &[Action::SetStatus(Status::Misleading)]);
    assert!(s.screen.list.visible.is_empty());
}

#[test]
fn inline_note_is_saved_and_esc_cancels() {
    let (dir, mut s) = state();
    run(&mut s, &[Action::EditNote]);
    typed(&mut s, "source: Rama's tweet");
    run(&mut s, &[Action::Confirm]);
    assert_eq!(
        on_disk(dir.path(), "alb-01").note.as_deref(),
        Some("source: Rama's tweet")
    );
    run(&mut s, &[Action::EditNote]);
    typed(&mut s, " more");
    run(&mut s, &[Action::Back]);
    assert_eq!(
        on_disk(dir.path(), "alb-01").note.as_deref(),
        Some("source: Rama's tweet")
    );
}

#[test]
fn another_reviewers_change_appears_without_moving_the_cursor() {
    let (dir, mut s) = state();
    run(&mut s, &[Action::Down, Action::Down, Action::Down]);
    run(&mut s, &[Action::SearchStart]);
    typed(&mut s, "a");
    run(&mut s, &[Action::Confirm]);
    let before = selected_id(&s);
    let shown = s.screen.list.visible.len();
    assert!(
        !update(&mut s, Action::CheckDisk).redraw,
        "nothing changed yet"
    );
    another_reviewer_marks(dir.path(), "alb-10", Status::Verified);
    assert!(update(&mut s, Action::CheckDisk).redraw);
    assert_eq!(selected_id(&s), before);
    assert_eq!(s.screen.list.visible.len(), shown);
    assert_eq!(s.screen.list.filter.search, "a");
    assert_eq!(
        s.session.catalog().status_counts()[2],
        1,
        "verified is third on the default scale"
    );
}

#[test]
fn esc_backs_out_step_by_step_and_q_quits() {
    let (_d, mut s) = state();
    run(&mut s, &[Action::Open]);
    assert_eq!(s.context(), Context::Claim);
    run(&mut s, &[Action::Back]);
    assert_eq!(s.screen.view, View::main());
    run(&mut s, &[Action::ArticleView, Action::Down]);
    assert_eq!(
        (s.context(), selected_id(&s).as_str()),
        (Context::Article, "alb-02")
    );
    run(&mut s, &[Action::Back, Action::Help]);
    assert_eq!(s.context(), Context::Help);
    assert!(update(&mut s, Action::Quit).quit);
}

#[test]
fn stats_cell_enter_filters_the_list_to_its_source_and_status() {
    let (_d, mut s) = state();
    run(
        &mut s,
        &[
            Action::Down,
            Action::SetStatus(Status::Verified),
            Action::StatsView,
        ],
    );
    assert_eq!(s.context(), Context::Stats);
    // The last row is all sources; the third column is verified.
    run(
        &mut s,
        &[Action::Bottom, Action::Right, Action::Right, Action::Open],
    );
    assert_eq!(s.screen.view, View::main());
    assert_eq!(s.screen.list.visible.len(), 1);
    assert_eq!(selected_id(&s), "alb-02");
    // A parent source's row includes its children; the total column any status.
    run(&mut s, &[Action::StatsView, Action::Top]);
    let wh = s
        .session
        .catalog()
        .tree()
        .depth_first()
        .iter()
        .position(|(_, x)| x.name == "The White House")
        .expect("row");
    for _ in 0..wh {
        update(&mut s, Action::Down);
    }
    for _ in 0..10 {
        update(&mut s, Action::Right);
    }
    run(&mut s, &[Action::Open]);
    assert_eq!(s.screen.list.visible.len(), 7);
    assert_eq!(s.screen.list.filter.statuses, None);
}

#[test]
fn digits_pickers_and_help_follow_the_desks_scale() {
    let (dir, _) = state();
    let settings = "rating_scale:\n  best: 5\n  worst: 1\n  statuses:\n\
        \x20   - {key: unreviewed, label: Unreviewed, digit: 1}\n\
        \x20   - {key: in-review, label: In review, digit: 2}\n\
        \x20   - {key: half-true, label: Half true, digit: 7, color: yellow, rating: {value: 3, text: Half true}}\n";
    std::fs::write(dir.path().join("claimdesk.yaml"), settings).expect("settings");
    let desk = Desk::load(dir.path()).expect("loads with the custom scale");
    let mut s = new_app(desk);
    // These marks are all about alb-01: the cursor stays on it.
    run(&mut s, &[Action::ToggleAdvance]);
    run(&mut s, &[Action::Digit(7)]);
    assert_eq!(on_disk(dir.path(), "alb-01").status.key(), "half-true");
    assert_eq!(s.session.catalog().status_counts(), [53, 0, 1]);
    run(&mut s, &[Action::Digit(3)]);
    assert!(
        s.screen
            .message
            .as_ref()
            .is_some_and(|m| m.error && m.text.contains("no status on key 3"))
    );
    run(&mut s, &[Action::StatusPicker]);
    let Some(Overlay::Picker(p)) = &s.screen.overlay else {
        panic!("no picker")
    };
    let labels: Vec<&str> = p.entries.iter().map(|e| e.label.as_str()).collect();
    assert_eq!(labels, ["1 Unreviewed", "2 In review", "7 Half true"]);
    assert_eq!(p.cursor, 2, "the picker starts on the claim's status");
    assert_eq!(keymap::digit_label(s.session.scale()), "1-2,7");
    assert!(keymap::hints(Context::List, s.session.scale()).contains(&"1-2,7 mark".to_string()));
}

#[test]
fn narrowing_a_search_finds_exactly_what_a_full_scan_finds() {
    let (_d, mut s) = state();
    run(&mut s, &[Action::SearchStart]);
    let check = |s: &App| {
        let desk = s.session.desk();
        let tree = s.session.catalog().tree();
        let full = SearchIndex::build(desk, tree).filter(&Facets::of(desk), &s.screen.list.filter);
        assert_eq!(
            s.screen.list.visible, full,
            "search {:?}",
            s.screen.list.filter.search
        );
    };
    for c in "attack".chars() {
        update(&mut s, Action::Input(c));
        check(&s);
    }
    for a in [
        Action::Backspace,
        Action::Backspace,
        Action::Input('x'),
        Action::ClearInput,
    ] {
        update(&mut s, a);
        check(&s);
    }
    for c in "الأمريكية".chars() {
        update(&mut s, Action::Input(c));
        check(&s);
    }
}

#[test]
fn kept_counts_match_a_recount_after_a_save_that_brings_others_changes() {
    let (dir, mut s) = state();
    another_reviewer_marks(dir.path(), "alb-10", Status::Verified);
    // No disk check in between: my save re-reads the file with bob's change in it.
    run(&mut s, &[Action::SetStatus(Status::False)]);
    assert_eq!(
        s.session.catalog().status_counts(),
        status_counts(s.session.desk()).as_slice()
    );
    assert_eq!(s.session.catalog().status_counts()[2], 1, "bob's verified");
    assert_eq!(s.session.catalog().status_counts()[4], 1, "my false");
    run(&mut s, &[Action::SourcePicker]);
    let Some(Overlay::Picker(p)) = &s.screen.overlay else {
        panic!("no picker")
    };
    // Each source once, without its sub-sources: every claim once.
    let total: usize = p.entries.iter().map(|e| e.own.unwrap_or(e.count)).sum();
    assert_eq!(total, 54);
}

#[test]
fn a_save_that_brings_others_changes_makes_them_filterable_and_searchable() {
    let (dir, mut s) = state();
    let mut bob = Desk::load(dir.path()).expect("loads");
    let change = Change {
        claim: ClaimId("alb-10".into()),
        by: "bob".into(),
        at: "2026-11-28T10:00:00Z".into(),
        edit: Edit::Status {
            status: Status::Verified,
            note: Some("confirmed by the quokka desk".into()),
            evidence: vec![],
        },
        seen: None,
    };
    bob.apply(&change).expect("bob saves");
    // My save re-reads the file, bob's change with it.
    run(&mut s, &[Action::SetStatus(Status::False)]);
    let verified = Filter {
        statuses: Some([Status::Verified].into()),
        ..Filter::default()
    };
    assert_eq!(
        filtered_then_searched(&mut s, verified, "quokka"),
        [["alb-10"], ["alb-10"]]
    );
}

#[test]
fn a_source_someone_added_by_hand_arrives_with_my_next_save() {
    let (dir, mut s) = state();
    let path = common_file(dir.path());
    let yaml = std::fs::read_to_string(&path).expect("read");
    let edited = yaml
        .replacen(
            "sources:\n",
            "sources:\n  - id: quokka-agency\n    name: Quokka Agency\n    name_original: كوكا\n    kind: news-agency\n",
            1,
        )
        .replacen(
            "  - id: alb-10\n    source: albania-interior-ministry\n",
            "  - id: alb-10\n    source: quokka-agency\n",
            1,
        );
    assert_ne!(edited, yaml);
    std::fs::write(&path, edited).expect("hand edit");
    // No disk check in between: my save re-reads the file with the edit in it.
    run(&mut s, &[Action::SetStatus(Status::False)]);
    assert_eq!(
        s.session
            .catalog()
            .tree()
            .name(&SourceId("quokka-agency".into())),
        "Quokka Agency"
    );
    let quokka = Filter {
        sources: Some(s.session.catalog().tree().matching("quokka")),
        ..Filter::default()
    };
    assert_eq!(
        filtered_then_searched(&mut s, quokka, "quokka agency"),
        [["alb-10"], ["alb-10"]]
    );
}

#[test]
fn a_read_only_desk_says_so_and_changes_nothing() {
    let (dir, _) = state();
    let desk = Desk::load(dir.path()).expect("loads");
    let session = Session::new(desk, Some("vera".into())).read_only("your role is viewer");
    let mut s = new_app_with(session);
    let before = std::fs::read(common_file(dir.path())).expect("read");
    for a in [
        Action::SetStatus(Status::False),
        Action::Digit(3),
        Action::EditNote,
        Action::EditNoteExternal,
    ] {
        s.screen.message = None;
        let out = update(&mut s, a.clone());
        let m = s.screen.message.clone().expect("a message");
        assert!(m.error && m.text.contains("read-only"), "{a:?}: {}", m.text);
        assert!(out.effects.is_empty(), "{a:?}: {out:?}");
    }
    update(&mut s, Action::Undo);
    assert_eq!(
        std::fs::read(common_file(dir.path())).expect("read"),
        before
    );
    assert!(s.screen.overlay.is_none(), "no note prompt for a viewer");
}

fn common_file(dir: &Path) -> std::path::PathBuf {
    dir.join("000_albania-iran-cyberattacks.yaml")
}

#[test]
fn copy_asks_the_terminal_for_a_citation() {
    let (_d, mut s) = state();
    let out = update(&mut s, Action::Copy);
    let [Effect::Copy(text)] = out.effects.as_slice() else {
        panic!("{:?}", out.effects)
    };
    assert!(text.contains("بعد هجوم إلكتروني ثان"));
    assert!(text.contains("24.ae") && text.contains("claim alb-01"));
}

/// The message on the status line, or nothing.
fn message(s: &App) -> String {
    s.screen
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

/// A save re-filters only its own file's claims: the list stays what a
/// full re-filter gives, and the cursor stays on its claim in a later file.
#[test]
fn saving_claims_of_one_file_keeps_the_list_and_the_cursor_right() {
    let dir = tempfile::tempdir().expect("temp dir");
    crate::synth::write_desk(dir.path(), 3, 12, 5).expect("synthetic desk");
    let mut s = new_app(Desk::load(dir.path()).expect("loads"));
    let open = s.session.scale().keys().next().expect("a first status");
    s.screen.list.filter.statuses = Some([open].into_iter().collect());
    s.screen.list.invalidate();
    s.screen.list.refilter(&mut s.session);
    let shown = s.screen.list.visible.len();
    assert!(shown >= 3, "some claims are {open}: {shown}");
    // Select the first two shown (`v` moves on), then go to the last (a later file).
    run(
        &mut s,
        &[Action::Select, Action::Select, Action::Bottom, Action::Up],
    );
    let target = selected_id(&s);
    let first_file = s.screen.list.visible[0].file();
    assert!(s.selected_ref().is_some_and(|r| r.file() > first_file));
    let scale = s.session.scale();
    let digit = (scale.statuses.iter())
        .find(|d| d.key == Status::Verified)
        .and_then(|d| d.digit)
        .expect("verified has a digit");
    update(&mut s, Action::Digit(digit));
    assert_eq!(selected_id(&s), target, "the cursor stays on its claim");
    assert_eq!(
        s.screen.list.visible.len(),
        shown - 2,
        "the two left the list"
    );
    let incremental = s.screen.list.visible.clone();
    s.screen.list.invalidate();
    s.screen.list.refilter(&mut s.session);
    assert_eq!(incremental, s.screen.list.visible, "as a full re-filter");
    let counts: usize = s.session.catalog().status_counts().iter().sum();
    assert_eq!(counts, 36, "the header still counts every claim once");
}
