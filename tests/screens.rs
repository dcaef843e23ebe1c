//! Every screen, drawn through the real drive loop from typed keys into
//! ratatui's TestBackend, and compared with a reviewed snapshot.

mod common;

use std::path::Path;

use claimdesk::app::App;
use claimdesk::app::drive::Event;
use claimdesk::store::Desk;
use claimdesk::text::Bidi;
use common::desk::{Scripted, keys, type_into};

fn shipped() -> Desk {
    // Parse once; every test draws from a fresh copy of the same desk.
    static DESK: std::sync::OnceLock<Desk> = std::sync::OnceLock::new();
    DESK.get_or_init(|| Desk::load(Path::new(common::SHIPPED)).expect("shipped claims load"))
        .clone()
}

fn app() -> App {
    common::desk::app(shipped(), Bidi::Reorder)
}

/// The screen at `w` x `h` after typing `script` into a fresh desk.
fn screen(script: &str, w: u16, h: u16) -> String {
    type_into(&mut app(), script, w, h).text()
}

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (50, 16)];

fn snap_all(name: &str, script: &str) {
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(script, w, h));
    }
}

#[test]
fn main_view() {
    snap_all("main", "jj");
}

#[test]
fn main_view_with_translations() {
    insta::assert_snapshot!("translation_80x24", screen("t", 80, 24));
}

#[test]
fn full_claim() {
    snap_all("claim", "jjjjjj<Enter>");
}

#[test]
fn article_view() {
    snap_all("article", "jjjjjjjjjja");
    // Wide: the article in its column, the claim in a panel beside it.
    insta::assert_snapshot!("article_200x50", screen("jjjjjjjjjja", 200, 50));
}

#[test]
fn help_overlay() {
    snap_all("help", "?");
}

#[test]
fn source_picker() {
    snap_all("sources", "sj<Space>j");
}

#[test]
fn esc_and_a_key_sent_together_are_read_as_the_two_keys() {
    // Over tmux or a slow link, Esc then `s` arrive as one Alt-s.
    let text = screen("/iran<M-s>", 80, 24);
    assert!(text.contains("Filter by source"), "{text}");
    assert!(!text.contains("/iran"), "the search was not left: {text}");
}

#[test]
fn the_terminals_answer_picks_how_arabic_is_sent() {
    use claimdesk::text::terminal::BidiChoice;
    let run = |choice: BidiChoice, reply: &str| {
        use claimdesk::app::{Capabilities, Display, Screen, Session};
        let display = Display {
            bidi: Bidi::Reorder,
            bidi_choice: choice,
            color: false,
            time_zone: jiff::tz::TimeZone::UTC,
        };
        let caps = Capabilities {
            editor: true,
            suspend: true,
        };
        let mut app = App::new(
            Session::new(shipped(), Some("alice".into())),
            Screen::new(display, caps),
        );
        let events = vec![Event::TerminalVersion(reply.into())];
        let mut fe = Scripted::new(80, 24, events);
        claimdesk::app::drive::run(&mut app, &mut fe).expect("runs");
        let text = fe.text();
        (app.screen().display().bidi, fe.bidi_changes, text)
    };
    let auto = BidiChoice::default();
    // Konsole reorders lines itself: the desk switches to logical order and redraws.
    let (bidi, changes, text) = run(auto, "Konsole 22.12.3");
    assert_eq!((bidi, changes), (Bidi::Logical, vec![Bidi::Logical]));
    let first = "بعد هجوم إلكتروني ثان";
    assert!(text.contains(first), "logical order on screen: {text}");
    // Konsole right-aligns as sent; mlterm orders and aligns by a line's first letter.
    assert!(
        text.lines().any(|l| l.ends_with(first)),
        "right-aligned: {text}"
    );
    let (bidi, _, text) = run(auto, "mlterm(3.9.3)");
    assert_eq!(bidi, Bidi::LogicalByLine);
    assert!(
        text.lines().any(|l| l.starts_with(first)),
        "unaligned: {text}"
    );
    // xterm draws isolated letters: reordered and joined.
    let (bidi, changes, _) = run(auto, "XTerm(379)");
    assert_eq!(
        (bidi, changes),
        (Bidi::ReorderShaped, vec![Bidi::ReorderShaped])
    );
    // tmux answers for itself, not for the terminal it draws on: no change.
    let (bidi, changes, _) = run(auto, "tmux 3.3a");
    assert_eq!((bidi, changes), (Bidi::Reorder, vec![]));
    // The reviewer's choice wins over the answer.
    let chosen = BidiChoice {
        order: Some(claimdesk::text::terminal::Order::Visual),
        shape: Some(false),
    };
    let (bidi, changes, text) = run(chosen, "Konsole 22.12.3");
    assert_eq!((bidi, changes), (Bidi::Reorder, vec![]));
    assert!(!text.contains(first), "still reordered: {text}");
}

#[test]
fn search_prompt_with_arabic() {
    insta::assert_snapshot!("search_80x24", screen("/الناتو", 80, 24));
}

#[test]
fn filtered_to_nothing() {
    insta::assert_snapshot!("empty_80x24", screen("/no such words", 80, 24));
}

#[test]
fn help_lists_every_binding_of_the_keymap() {
    // Tall enough to show the whole list.
    let text = screen("?", 100, 200);
    for b in claimdesk::app::keymap::bindings() {
        assert!(text.contains(b.help), "help is missing {:?}", b.help);
    }
    assert!(
        text.contains("1-6"),
        "the digits of the scale, not 0-9: {text}"
    );
}

#[test]
fn no_size_panics_in_any_view() {
    for script in [
        "", "<Enter>", "a", "?", "s", "<Space>", "nx", "/ن", "S", "<Tab>G",
    ] {
        let mut events: Vec<Event> = keys(script).into_iter().map(Event::Key).collect();
        for w in (1..=12).chain([20, 30, 79, 80, 200]) {
            for h in (1..=8).chain([10, 14, 24, 60]) {
                events.push(Event::Resize(w, h));
            }
        }
        let mut fe = Scripted::new(80, 24, events);
        claimdesk::app::drive::run(&mut app(), &mut fe).expect("runs at every size");
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
    for (w, h) in SIZES {
        let mut s = common::desk::app(desk.clone(), Bidi::Reorder);
        assert!(!type_into(&mut s, "", w, h).text().contains('\u{1b}'));
    }
    for (w, h) in [(80, 24), (120, 40)] {
        let mut s = common::desk::app(desk.clone(), Bidi::Reorder);
        let shown = type_into(&mut s, "<Enter>", w, h).text();
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
fn article_view_of_a_file_gone_since_the_desk_loaded_says_so() {
    let dir = common::copy_of_claims();
    let desk = Desk::load(dir.path()).expect("loads");
    std::fs::remove_file(common::data_file(dir.path())).expect("remove");
    let mut s = common::desk::app(desk, Bidi::Reorder);
    let shown = type_into(&mut s, "a", 120, 40).text();
    assert!(
        shown.contains("could not be read back") && shown.contains("000_albania-iran"),
        "{shown}"
    );
    // Esc still backs out to the list.
    let back = type_into(&mut s, "<Esc>", 120, 40).text();
    assert!(back.contains("shown"), "{back}");
}

#[test]
fn article_view_shaped() {
    let mut s = common::desk::app(shipped(), Bidi::ReorderShaped);
    insta::assert_snapshot!(
        "article_shaped_80x24",
        type_into(&mut s, "jja", 80, 24).text()
    );
}

#[test]
fn stats_view() {
    snap_all("stats", "Sjll");
}

/// A count per source name, from lines that start (after tree indentation
/// and picker marks) with a source's name, whole or cut short with `…`.
fn counts_by_name(
    text: &str,
    names: &[String],
    count: impl Fn(&str) -> Option<usize>,
) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for line in text.lines() {
        // An overlay's lines start at its left border.
        let line = line.split_once('│').map_or(line, |(_, inside)| inside);
        let body = line
            .trim_start_matches([' ', '▶'])
            .trim_start_matches("[ ] ")
            .trim_start();
        let whole = names
            .iter()
            .filter(|n| {
                body.strip_prefix(n.as_str())
                    .is_some_and(|rest| rest.starts_with(' '))
            })
            .max_by_key(|n| n.len())
            .map(|n| (n.clone(), &body[n.len()..]));
        let cut = || {
            let (prefix, rest) = body.split_once('…')?;
            let mut found = names.iter().filter(|n| n.starts_with(prefix));
            match (found.next(), found.next()) {
                (Some(n), None) => Some((n.clone(), rest)),
                _ => None,
            }
        };
        if let Some((name, rest)) = whole.or_else(cut)
            && let Some(n) = count(rest)
        {
            out.push((name, n));
        }
    }
    out
}

fn numbers(s: &str) -> Vec<usize> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect()
}

#[test]
fn cli_stats_the_stats_view_and_the_source_picker_agree() {
    let desk = shipped();
    let names: Vec<String> = desk
        .files
        .iter()
        .flat_map(|f| f.head.sources.iter().map(|s| s.name.clone()))
        .collect();
    // The command line: the total column (sub-sources included) is the
    // second number from the right; the last is the source's own.
    let out = common::claimdesk(Path::new(common::SHIPPED), &["stats"]);
    let cli = counts_by_name(&common::stdout(&out), &names, |rest| {
        let n = numbers(rest);
        n.len().checked_sub(2).map(|i| n[i])
    });
    // The stats view: the total column, before the reviewed fraction.
    let view = counts_by_name(&screen("S", 200, 60), &names, |rest| {
        let n = numbers(
            rest.split("  ")
                .filter(|p| !p.is_empty())
                .take(7)
                .collect::<Vec<_>>()
                .join(" ")
                .as_str(),
        );
        n.last().copied()
    });
    // The picker: what applying the source shows (the count with sub-sources).
    let picker = counts_by_name(&screen("s", 200, 60), &names, |rest| {
        numbers(rest).last().copied()
    });
    assert_eq!(
        cli.len(),
        names.len(),
        "every source in `claimdesk stats`: {cli:?}"
    );
    assert_eq!(view, cli, "the stats view");
    assert_eq!(picker, cli, "the source picker");
    let wh = cli
        .iter()
        .find(|(n, _)| n == "The White House")
        .map(|(_, c)| *c);
    assert_eq!(wh, Some(7), "itself 1, NSC 4, press secretary 2");
}

#[test]
fn note_conflict_shows_theirs_and_mine() {
    use claimdesk::model::ClaimId;
    use claimdesk::store::{Change, Edit};
    let dir = common::copy_of_claims();
    let mut bob = common::desk::app(Desk::load(dir.path()).expect("loads"), Bidi::Reorder);
    type_into(
        &mut bob,
        "nBob: the ministry's statement is on its site",
        80,
        24,
    );
    // Alice saves a note on the same claim while bob writes.
    let mut alice = Desk::load(dir.path()).expect("loads");
    let change = Change {
        claim: ClaimId("alb-01".into()),
        by: "alice".into(),
        at: "2026-11-30T10:02:11Z".into(),
        edit: Edit::Note("Alice: confirmed with the outlet's editor".into()),
        seen: None,
    };
    alice.apply(&change).expect("alice saves");
    let shown = type_into(&mut bob, "<Enter>", 80, 24).text();
    insta::assert_snapshot!("note_conflict_80x24", shown);
}

#[test]
fn note_editor() {
    snap_all(
        "note_editor",
        "nThe ministry's statement<C-j>is on its site",
    );
}

#[test]
fn evidence_list() {
    // Adding a URL: the list (empty) and the URL being typed.
    snap_all("evidence", "Eahttps://mod.gov.al/statement");
}

#[test]
fn message_log() {
    snap_all("messages", "c9M");
}

#[test]
fn picker_filtered() {
    snap_all("picker_filtered", "s/white");
}

/// "↑ more" / "↓ more" never cover a word: they get a row of their own,
/// so the first words of a right-aligned Arabic line (at the right edge,
/// where the marks stand) and the last of a left one stay in sight.
#[test]
fn the_more_marks_have_a_row_of_their_own() {
    let mut seen = 0;
    for (script, w, h) in [
        ("jj", 80, 24),
        ("jjjjjjjjjjjjjjjjjjjjjjjjj<Tab>jj", 80, 24),
        ("jjjjjjjjjjjjj<Enter>", 80, 24),
        ("jjjjjjjjjjjjj<Enter>", 50, 16),
        ("jjjjjjjjjjjjja", 80, 24),
        ("?", 80, 24),
        ("?jjjj", 50, 16),
    ] {
        let s = screen(script, w, h);
        let mut marks = 0;
        for line in s.lines() {
            for mark in ["↑ ↓ more", "↑ more", "↓ more"] {
                if let Some(at) = line.find(mark) {
                    marks += 1;
                    // Inside the pane's borders, nothing else on the row.
                    let end = at + mark.len();
                    let from = line[..at].rfind('│').map_or(0, |b| b + '│'.len_utf8());
                    let to = line[end..].find('│').map_or(line.len(), |b| end + b);
                    let rest = format!("{}{}", &line[from..at], &line[end..to]);
                    let words = rest.chars().filter(|c| c.is_alphanumeric()).count();
                    assert_eq!(words, 0, "{script} at {w}x{h}: {line:?}\n{s}");
                    break;
                }
            }
        }
        seen += marks;
    }
    assert!(seen >= 5, "the screens that scroll say so ({seen} marks)");
}

/// A note written in Arabic reads in the editor as it will in the detail
/// once saved: in the order the terminal shows, brackets the right way,
/// the cursor after the last letter typed (on the left of Arabic).
#[test]
fn arabic_being_written_reads_in_order_in_the_editor() {
    let typed = "قالت الوزارة (في بيان) إن النتائج أولية";
    let s = screen(&format!("n{typed}"), 80, 24);
    let shown = claimdesk::text::visual(typed, true, Bidi::Reorder);
    assert!(s.contains(shown.as_ref()), "{shown}\n{s}");
    assert!(
        !s.contains(typed),
        "logical order on a visual terminal:\n{s}"
    );
    // English in the translation editor stays as written.
    let s = screen("T", 80, 24);
    assert!(
        s.contains("Headline: Albania has suffered a second cyberattack (\"After"),
        "{s}"
    );
    insta::assert_snapshot!("note_arabic_80x24", screen(&format!("n{typed}"), 80, 24));
}

/// A picker's filter typed in Arabic reads in the terminal's order too.
#[test]
fn an_arabic_filter_typed_in_a_picker_reads_in_order() {
    let typed = "وزارة الداخلية";
    let s = screen(&format!("s/{typed}"), 80, 24);
    let shown = claimdesk::text::visual(typed, false, Bidi::Reorder);
    assert!(s.contains(shown.as_ref()), "{shown}\n{s}");
}

/// On a terminal that draws letters isolated (xterm), the draft's letters
/// are joined as everywhere else: presentation forms, in visual order.
#[test]
fn arabic_being_written_is_joined_where_the_terminal_does_not_join() {
    let typed = "قالت الوزارة إن النتائج أولية";
    let mut app = common::desk::app(shipped(), Bidi::ReorderShaped);
    let s = type_into(&mut app, &format!("n{typed}"), 80, 24).text();
    let shaped = claimdesk::text::visual(typed, true, Bidi::ReorderShaped);
    assert!(s.contains(shaped.trim()), "{shaped}\n{s}");
}
