//! Every screen, drawn to ratatui's TestBackend and compared with a reviewed snapshot.

mod common;

use std::path::Path;

use claimdesk::app::{Action, State};
use claimdesk::store::Desk;
use claimdesk::text::Bidi;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn state() -> State {
    // Parse once; every test draws from a fresh copy of the same desk.
    static DESK: std::sync::OnceLock<Desk> = std::sync::OnceLock::new();
    let desk =
        DESK.get_or_init(|| Desk::load(Path::new(common::SHIPPED)).expect("shipped claims load"));
    State::new(desk.clone(), "alice".into(), Bidi::Reorder, false)
}

/// Draw `state` at `w` x `h` and return the screen as text.
fn screen(state: &mut State, w: u16, h: u16) -> String {
    state.update(Action::Resize(w, h));
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| claimdesk::ui::render(state, f)).expect("draw");
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        for x in 0..w {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn with(actions: &[Action]) -> State {
    let mut s = state();
    for a in actions {
        s.update(*a);
    }
    s
}

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (50, 16)];

fn snap_all(name: &str, actions: &[Action]) {
    for (w, h) in SIZES {
        let mut s = with(actions);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(&mut s, w, h));
    }
}

#[test]
fn main_view() {
    snap_all("main", &[Action::Down, Action::Down]);
}

#[test]
fn main_view_with_translations() {
    let mut s = with(&[Action::ToggleTranslation]);
    insta::assert_snapshot!("translation_80x24", screen(&mut s, 80, 24));
}

#[test]
fn full_claim() {
    snap_all(
        "claim",
        &[
            Action::Down,
            Action::Down,
            Action::Down,
            Action::Down,
            Action::Down,
            Action::Down,
            Action::Open,
        ],
    );
}

#[test]
fn article_view() {
    snap_all(
        "article",
        &[Action::Down; 10]
            .iter()
            .copied()
            .chain([Action::ArticleView])
            .collect::<Vec<_>>(),
    );
}

#[test]
fn help_overlay() {
    snap_all("help", &[Action::Help]);
}

#[test]
fn source_picker() {
    snap_all(
        "sources",
        &[
            Action::SourcePicker,
            Action::Down,
            Action::Toggle,
            Action::Down,
        ],
    );
}

#[test]
fn search_prompt_with_arabic() {
    let mut s = with(&[Action::SearchStart]);
    for c in "الناتو".chars() {
        s.update(Action::Input(c));
    }
    insta::assert_snapshot!("search_80x24", screen(&mut s, 80, 24));
}

#[test]
fn filtered_to_nothing() {
    let mut s = with(&[Action::SearchStart]);
    for c in "no such words".chars() {
        s.update(Action::Input(c));
    }
    insta::assert_snapshot!("empty_80x24", screen(&mut s, 80, 24));
}

#[test]
fn help_lists_every_binding_of_the_keymap() {
    let mut s = with(&[Action::Help]);
    // Tall enough to show the whole list.
    let text = screen(&mut s, 100, 80);
    for b in claimdesk::app::keymap::KEYMAP {
        assert!(text.contains(b.help), "help is missing {:?}", b.help);
    }
}

#[test]
fn no_size_panics_in_any_view() {
    let views: Vec<Vec<Action>> = vec![
        vec![],
        vec![Action::Open],
        vec![Action::ArticleView],
        vec![Action::Help],
        vec![Action::SourcePicker],
        vec![Action::StatusPicker],
        vec![Action::EditNote, Action::Input('x')],
        vec![Action::SearchStart, Action::Input('ن')],
    ];
    for actions in views {
        let mut s = with(&actions);
        for w in (1..=12).chain([20, 30, 79, 80, 200]) {
            for h in (1..=8).chain([10, 14, 24, 60]) {
                let _ = screen(&mut s, w, h);
            }
        }
    }
}

#[test]
fn control_characters_from_files_never_reach_the_screen() {
    let dir = common::copy_of_claims();
    let path = common::data_file(dir.path());
    let text = std::fs::read_to_string(&path).expect("read");
    let evil = "evil\\e]0;owned\\a\\e[2J\\e]52;c;ZXZpbA==\\a\\u202Etxet";
    let text = text.replacen(
        "text: بعد هجوم إلكتروني ثان",
        &format!("text: \"{evil}\""),
        1,
    );
    std::fs::write(&path, text).expect("write");
    let desk = Desk::load(dir.path()).expect("loads");
    let mut s = State::new(desk, "alice".into(), Bidi::Reorder, false);
    for (w, h) in SIZES {
        assert!(!screen(&mut s, w, h).contains('\u{1b}'));
    }
    s.update(Action::Open);
    for (w, h) in [(80, 24), (120, 40)] {
        let shown = screen(&mut s, w, h);
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}') && !shown.contains('\u{202e}')
        );
        assert!(shown.contains("evil␛]0;owned␇"), "{shown}");
        assert!(
            shown.contains("\\u{202e}"),
            "the override is shown, not hidden: {shown}"
        );
    }
}

#[test]
fn article_view_shaped() {
    let desk = Desk::load(Path::new(common::SHIPPED)).expect("shipped claims load");
    let mut s = State::new(desk, "alice".into(), Bidi::ReorderShaped, false);
    for a in [Action::Down, Action::Down, Action::ArticleView] {
        s.update(a);
    }
    insta::assert_snapshot!("article_shaped_80x24", screen(&mut s, 80, 24));
}

#[test]
fn stats_view() {
    snap_all(
        "stats",
        &[
            Action::StatsView,
            Action::Down,
            Action::Right,
            Action::Right,
        ],
    );
}
