//! The real binary in a pseudo-terminal: keys in, screen and YAML out.

mod common;

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::time::Duration;

use claimdesk::model::{ClaimId, Status};
use claimdesk::store::Desk;
use common::pty::PtyDesk;
use common::*;

const T: Duration = Duration::from_secs(10);
const DOWN: &str = "\x1b[B";
const ESC: &str = "\x1b";
const ENTER: &str = "\r";

/// The desk on `dir` as reviewer e2e, with extra environment.
fn spawn(dir: &std::path::Path, env: &[(&str, &str)], cols: u16, rows: u16) -> PtyDesk {
    let d = dir.to_str().expect("utf-8 temp path");
    PtyDesk::spawn(&bin(), &["-C", d, "--reviewer", "e2e"], env, cols, rows)
}

/// The desk on `dir`, once its first frame is up.
fn open(dir: &std::path::Path, cols: u16, rows: u16) -> PtyDesk {
    let desk = spawn(dir, &[], cols, rows);
    desk.wait_for("the desk", T, |s| s.contains("Claims 54/54"));
    desk
}

#[test]
fn review_session_moves_searches_filters_marks_and_quits() {
    let dir = copy_of_claims();
    let mut desk = open(dir.path(), 80, 24);

    // Move: j twice and an arrow.
    desk.type_keys(&["j", "j", DOWN]);
    desk.wait_for("alb-04 selected", T, |s| s.contains("▶ alb-04"));

    // Search as you type; Enter keeps the filter.
    desk.type_keys(&["/", "t", "o", "l", "e", "r", "a", "t", "e", ENTER]);
    let s = desk.wait_for("one hit", T, |s| s.contains("Claims 1/54"));
    assert!(s.contains("search: tolerate"), "{s}");
    assert!(s.contains("▶ alb-25"), "{s}");
    desk.type_keys(&[ESC]);
    desk.wait_for("search cleared", T, |s| s.contains("Claims 54/54"));

    // Source picker: Enter applies the highlighted source, with its children.
    desk.type_keys(&["s"]);
    desk.wait_for("the source picker", T, |s| s.contains("Filter by source"));
    let s = desk.screen();
    let rows: Vec<&str> = s.lines().filter(|l| l.contains("[ ]")).collect();
    let white_house = rows
        .iter()
        .position(|l| l.contains("The White House"))
        .expect("White House listed");
    for _ in 0..white_house {
        desk.type_keys(&["j"]);
    }
    desk.type_keys(&[ENTER]);
    let s = desk.wait_for("filtered to the White House", T, |s| {
        s.contains("Claims 7/54")
    });
    assert!(s.contains("source: The White House"), "{s}");

    // Mark the selected claim verified.
    desk.type_keys(&["3"]);
    let s = desk.wait_for("marked", T, |s| s.contains("-> verified"));
    assert!(s.contains("✓ verified"), "{s}");
    let first_shown = s
        .lines()
        .find(|l| l.starts_with("▶ "))
        .and_then(|l| l.split_whitespace().nth(1))
        .expect("selected row")
        .to_string();

    desk.type_keys(&["q"]);
    assert_eq!(desk.wait_exit(T), Some(true), "desk did not quit cleanly");

    let saved = Desk::load(dir.path()).expect("valid after the session");
    let c = saved
        .get(
            saved
                .find(&ClaimId(first_shown.as_str().into()))
                .expect("id"),
        )
        .expect("claim");
    assert_eq!(c.status, Status::Verified, "{first_shown} not saved");
    assert_eq!(c.history.last().map(|h| h.by.as_str()), Some("e2e"));
}

#[test]
fn sighup_ends_the_desk_within_a_second_and_keeps_the_change() {
    let dir = copy_of_claims();
    let mut desk = open(dir.path(), 80, 24);
    desk.type_keys(&["5"]);
    desk.wait_for("marked", T, |s| s.contains("-> false"));
    let pid = desk.child.process_id().expect("pid") as i32;
    // The shell's own kill: a bare container has a shell but maybe no procps.
    let hup = std::process::Command::new("sh")
        .args(["-c", &format!("kill -HUP {pid}")])
        .status()
        .expect("sh -c kill -HUP");
    assert!(hup.success());
    assert!(
        desk.wait_exit(Duration::from_secs(1)).is_some(),
        "still running 1 s after SIGHUP"
    );
    let c = saved_claim(dir.path(), "alb-01");
    assert_eq!(c.status, Status::False);
}

#[test]
fn resize_to_narrow_and_back_keeps_working() {
    let dir = copy_of_claims();
    let mut desk = open(dir.path(), 120, 40);
    desk.wait_for("side by side", T, |s| s.contains("Detail"));
    desk.resize(40, 12);
    desk.type_keys(&["j"]);
    desk.wait_for("narrow redraw", T, |s| {
        s.lines().count() <= 12 && s.contains("▶ alb-02")
    });
    desk.resize(80, 24);
    desk.type_keys(&["?"]);
    desk.wait_for("help", T, |s| s.contains("Keys"));
    desk.type_keys(&[ESC, "q"]);
    assert_eq!(desk.wait_exit(T), Some(true));
}

#[test]
fn an_idle_desk_writes_nothing() {
    let dir = copy_of_claims();
    let desk = open(dir.path(), 80, 24);
    desk.settle(Duration::from_millis(300));
    let before = desk.bytes_read();
    // Longer than the disk-check interval: checking for others' changes must not redraw.
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(
        desk.bytes_read(),
        before,
        "the desk redrew with nothing to show"
    );
}

#[test]
fn no_color_means_no_colour_codes() {
    let dir = copy_of_claims();
    let mut desk = spawn(dir.path(), &[("NO_COLOR", "1")], 80, 24);
    desk.wait_for("the desk", T, |s| s.contains("Claims 54/54"));
    desk.type_keys(&["3", "j", "5"]);
    desk.wait_for("marked", T, |s| s.contains("-> false"));
    let raw = desk.raw();
    for sgr in ["\x1b[38;5;", "\x1b[31m", "\x1b[32m", "\x1b[33m"] {
        assert!(
            !raw.contains(sgr),
            "colour sequence {sgr:?} sent under NO_COLOR"
        );
    }
    assert!(
        raw.contains("\x1b[7m"),
        "selection must still show (reversed)"
    );
}

#[test]
fn e_edits_the_note_in_the_editor_and_saves_it() {
    let dir = copy_of_claims();
    let script = dir.path().join("fake-editor.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nprintf 'checked against the MoI statement' > \"$1\"\n",
    )
    .expect("script");
    let mut perms = std::fs::metadata(&script).expect("stat").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&script, perms).expect("chmod");
    let editor = script.to_str().expect("utf-8");
    let mut desk = spawn(
        dir.path(),
        &[("EDITOR", editor), ("VISUAL", editor)],
        80,
        24,
    );
    desk.wait_for("the desk", T, |s| s.contains("Claims 54/54"));
    desk.type_keys(&["e"]);
    desk.wait_for("note saved", T, |s| s.contains("note saved"));
    desk.type_keys(&["q"]);
    assert_eq!(desk.wait_exit(T), Some(true));
    let c = saved_claim(dir.path(), "alb-01");
    assert_eq!(c.note.as_deref(), Some("checked against the MoI statement"));
}

#[test]
fn a_failed_save_shows_in_the_status_bar_and_the_desk_keeps_running() {
    let dir = copy_of_claims();
    let mut desk = open(dir.path(), 80, 24);
    // Break the file under the desk: the next save must refuse, not overwrite it.
    let path = data_file(dir.path());
    std::fs::write(&path, "article: [broken\n").expect("break the file");
    desk.type_keys(&["3"]);
    let s = desk.wait_for("an error", T, |s| s.contains("error: not saved"));
    assert!(
        s.contains("Claims 54/54"),
        "the desk keeps its last good copy: {s}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "article: [broken\n"
    );
    desk.type_keys(&["j"]);
    desk.wait_for("still responsive", T, |s| s.contains("▶ alb-02"));
}

/// Whether process `pid` is still running (a zombie counts as gone).
fn running(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            s.split_whitespace()
                .nth(2)
                .is_some_and(|state| state != "Z")
        })
        .unwrap_or(false)
}

#[test]
fn a_terminal_that_vanishes_ends_the_desk_and_keeps_the_change() {
    if lacks(
        "a_terminal_that_vanishes_ends_the_desk_and_keeps_the_change",
        &["tmux"],
    ) {
        return;
    }
    // tmux kill-server closes the pty under the desk, as a dropped SSH link does.
    let dir = copy_of_claims();
    let socket = format!("claimdesk-test-{}", std::process::id());
    let tmux = |args: &[&str]| {
        std::process::Command::new("tmux")
            .arg("-L")
            .arg(&socket)
            .args(args)
            .output()
            .expect("tmux is installed")
    };
    let cmd = format!(
        "CLAIMDESK_NO_CACHE=1 {} -C {} --reviewer e2e",
        bin().display(),
        dir.path().display()
    );
    assert!(
        tmux(&["new-session", "-d", "-s", "t", "-x", "80", "-y", "24", &cmd])
            .status
            .success()
    );
    let screen =
        || String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned();
    let wait = |what: &str| {
        let start = std::time::Instant::now();
        while !screen().contains(what) {
            assert!(
                start.elapsed() < T,
                "timed out waiting for {what}:\n{}",
                screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    wait("Claims 54/54");
    tmux(&["send-keys", "-t", "t", "4"]);
    wait("-> misleading");
    let pid =
        String::from_utf8_lossy(&tmux(&["display-message", "-p", "-t", "t", "#{pane_pid}"]).stdout)
            .trim()
            .to_string();
    assert!(running(&pid));
    tmux(&["kill-server"]);
    let start = std::time::Instant::now();
    while running(&pid) {
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "desk {pid} still running after its terminal vanished"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let c = saved_claim(dir.path(), "alb-01");
    assert_eq!(c.status, Status::Misleading);
}

#[test]
fn evidence_urls_become_osc8_hyperlinks_when_enabled() {
    let dir = copy_of_claims();
    let url = "https://example.org/treasury-statement";
    let set = claimdesk(
        dir.path(),
        &["set", "alb-01", "verified", "--evidence", url],
    );
    assert!(set.status.success(), "{}", stderr(&set));
    let mut desk = spawn(dir.path(), &[("CLAIMDESK_HYPERLINKS", "1")], 120, 40);
    let s = desk.wait_for("the evidence", T, |s| s.contains(url));
    // Once in the evidence list and once in the history that added it;
    // the hyperlink is drawn over the same cells, never a second time.
    let lines: Vec<&str> = s.lines().filter(|l| l.contains(url)).collect();
    assert!(!lines.is_empty(), "the evidence line:\n{s}");
    assert!(
        lines.iter().all(|l| l.matches(url).count() == 1),
        "the link text is drawn once, in place:\n{s}"
    );
    desk.settle(Duration::from_millis(100));
    assert!(
        desk.raw()
            .contains(&format!("\x1b]8;;{url}\x1b\\{url}\x1b]8;;\x1b\\"))
    );
    desk.type_keys(&["q"]);
    assert_eq!(desk.wait_exit(T), Some(true));

    // Off: plain text only.
    let mut plain = spawn(dir.path(), &[("CLAIMDESK_HYPERLINKS", "0")], 120, 40);
    plain.wait_for("the evidence", T, |s| s.contains(url));
    plain.settle(Duration::from_millis(100));
    assert!(!plain.raw().contains("\x1b]8;"));
    plain.type_keys(&["q"]);
    assert_eq!(plain.wait_exit(T), Some(true));
}

/// A key typed while a resize is pending must not wait for the next key.
/// (crossterm's default epoll source drops the terminal's readiness when it
/// answers the resize first; the desk reads through poll(2) instead.)
#[test]
fn a_key_typed_during_a_resize_is_handled_at_once() {
    let dir = copy_of_claims();
    let mut desk = open(dir.path(), 80, 24);
    for i in 1..=20u16 {
        // The first j keeps the desk busy drawing; the resize and the second j
        // arrive while it is, so both are ready at its next wait.
        desk.send("j");
        desk.resize(80 + i % 2 * 20, 24 + i % 2 * 6);
        desk.send("j");
        let want = format!("▶ alb-{:02}", 1 + 2 * i);
        desk.wait_for(
            &format!("{want} after resize {i}"),
            Duration::from_secs(3),
            |s| s.contains(&want),
        );
    }
}

#[test]
fn display_bidi_in_the_desk_settings_applies_to_the_terminal() {
    let dir = copy_of_claims();
    let settings = dir.path().join("claimdesk.yaml");
    let text = std::fs::read_to_string(&settings).expect("settings");
    std::fs::write(&settings, text.replace("  bidi: auto", "  bidi: off")).expect("write");
    let mut desk = open(dir.path(), 100, 30);
    // vt100 does no bidi: logical order shows as the file holds it.
    let screen = desk.wait_for("the headline", T, |s| s.contains("بعد هجوم إلكتروني ثان"));
    assert!(!screen.contains("ناث ينورتكلإ موجه دعب"), "{screen}");
    assert!(
        !desk.raw().contains("\x1b[8l"),
        "no BDSM for a terminal that does its own bidi"
    );
    desk.type_keys(&["q"]);
    assert_eq!(desk.wait_exit(T), Some(true));
}

#[test]
fn bdsm_is_sent_before_the_alternate_screen() {
    let dir = copy_of_claims();
    let mut desk = open(dir.path(), 80, 24);
    desk.type_keys(&["q"]);
    assert_eq!(desk.wait_exit(T), Some(true));
    let raw = desk.raw();
    let bdsm = raw.find("\x1b[8l").expect("BDSM sent");
    let alt = raw.find("\x1b[?1049h").expect("alternate screen");
    assert!(
        bdsm < alt,
        "VTE honours BDSM only before the alternate screen"
    );
    let back = raw.rfind("\x1b[8h").expect("BDSM reset");
    assert!(back > raw.rfind("\x1b[?1049l").expect("main screen"));
}

#[test]
fn the_desk_opens_and_marks_with_no_user_variable() {
    let dir = copy_of_claims();
    let d = dir.path().to_str().expect("utf-8 temp path");
    // As in a bare container: root, no login shell, no $USER.
    let mut desk = PtyDesk::spawn(
        &bin(),
        &["-C", d],
        &[("USER", ""), ("CLAIMDESK_REVIEWER", "")],
        80,
        24,
    );
    desk.wait_for("the desk", T, |s| s.contains("Claims 54/54"));
    desk.type_keys(&["3"]);
    desk.wait_for("marked", T, |s| s.contains("-> verified"));
    desk.type_keys(&["q"]);
    assert_eq!(desk.wait_exit(T), Some(true));
    let c = saved_claim(dir.path(), "alb-01");
    let by = c.history.last().map(|h| h.by.clone()).unwrap_or_default();
    assert!(
        !by.is_empty(),
        "the change is signed with the account's name"
    );
}

#[test]
fn history_shows_local_time_under_tz() {
    let dir = copy_of_claims();
    let path = data_file(dir.path());
    let text = std::fs::read_to_string(&path).expect("read");
    let text = text.replacen(
        "    status: unreviewed\n    history: []\n",
        "    status: verified\n    history:\n      - at: \"2026-11-28T10:00:00Z\"\n        by: alice\n        status: verified\n        previous: unreviewed\n",
        1,
    );
    std::fs::write(&path, text).expect("write");
    let mut desk = spawn(dir.path(), &[("TZ", "JST-9")], 100, 30);
    desk.wait_for("the desk", T, |s| s.contains("Claims 54/54"));
    desk.type_keys(&[ENTER]);
    let s = desk.wait_for("the history", T, |s| s.contains("JST"));
    assert!(s.contains("2026-11-28 19:00 JST"), "{s}");
    assert!(
        !s.contains("2026-11-28T10:00:00Z"),
        "UTC shown instead: {s}"
    );
    desk.type_keys(&["q"]);
    assert_eq!(desk.wait_exit(T), Some(true));
    // The file keeps UTC.
    assert!(
        std::fs::read_to_string(&path)
            .expect("read")
            .contains("2026-11-28T10:00:00Z")
    );
}

#[test]
fn evidence_is_added_and_removed_with_e() {
    let dir = copy_of_claims();
    let mut desk = open(dir.path(), 100, 30);
    let url = "https://mod.gov.al/statement";
    desk.type_keys(&["E"]);
    desk.wait_for("the evidence list", T, |s| {
        s.contains("Evidence for alb-01")
    });
    desk.type_keys(&["a"]);
    desk.send(url);
    desk.type_keys(&[ENTER]);
    desk.wait_for("added", T, |s| s.contains("added evidence"));
    assert_eq!(saved_claim(dir.path(), "alb-01").evidence, [url]);
    desk.type_keys(&["d"]);
    desk.wait_for("removed", T, |s| s.contains("removed evidence"));
    desk.type_keys(&[ESC, "q"]);
    assert_eq!(desk.wait_exit(T), Some(true));
    let c = saved_claim(dir.path(), "alb-01");
    assert!(c.evidence.is_empty());
    assert_eq!(c.history.len(), 2, "one entry each");
    assert_eq!(c.status, Status::Unreviewed, "the status is not restated");
}

#[test]
fn the_note_editor_moves_breaks_lines_and_survives_ctrl_c() {
    let dir = copy_of_claims();
    let mut desk = open(dir.path(), 100, 30);
    desk.type_keys(&["n"]);
    desk.wait_for("the editor", T, |s| s.contains("Note for alb-01"));
    desk.send("abc");
    desk.type_keys(&["\x1b[D", "X", "\x1b[F"]);
    // Alt-Enter: a line break (Enter alone saves).
    desk.type_keys(&["\x1b\r"]);
    desk.send("def");
    // Ctrl-C: the desk stays, and so does the draft.
    desk.type_keys(&["\x03"]);
    let s = desk.wait_for("the explanation", T, |s| s.contains("Enter saves"));
    assert!(s.contains("Note for alb-01"), "{s}");
    assert!(
        desk.child.try_wait().ok().flatten().is_none(),
        "the desk quit"
    );
    desk.type_keys(&[ENTER]);
    desk.wait_for("saved", T, |s| s.contains("note saved"));
    desk.type_keys(&["q"]);
    assert_eq!(desk.wait_exit(T), Some(true));
    assert_eq!(
        saved_claim(dir.path(), "alb-01").note.as_deref(),
        Some("abXc\ndef")
    );
}

#[test]
fn bracket_goes_to_the_next_claim_to_do_and_a_mark_moves_on() {
    let dir = copy_of_claims();
    let set = claimdesk(dir.path(), &["set", "alb-02", "verified"]);
    assert!(set.status.success());
    let mut desk = open(dir.path(), 100, 30);
    desk.type_keys(&["]"]);
    desk.wait_for("alb-03, past the verified alb-02", T, |s| {
        s.contains("▶ alb-03")
    });
    desk.type_keys(&["5"]);
    let s = desk.wait_for("moved on", T, |s| s.contains("▶ alb-04"));
    assert!(s.contains("on to alb-04"), "{s}");
    desk.type_keys(&["q"]);
    assert_eq!(desk.wait_exit(T), Some(true));
    assert_eq!(saved_claim(dir.path(), "alb-03").status, Status::False);
}

#[test]
fn the_terminals_answer_picks_how_arabic_is_drawn_and_is_never_read_as_keys() {
    let dir = copy_of_claims();
    // No terminal named by the environment: the desk starts in its default.
    let unnamed = [
        ("VTE_VERSION", ""),
        ("KONSOLE_VERSION", ""),
        ("KITTY_WINDOW_ID", ""),
        ("MLTERM", ""),
        ("XTERM_VERSION", ""),
        ("TMUX", ""),
        ("TERM_PROGRAM", ""),
        ("CLAIMDESK_BIDI", "auto"),
    ];
    let mut desk = spawn(dir.path(), &unnamed, 100, 30);
    let shaped = |s: &str| s.chars().any(|c| ('\u{FE70}'..='\u{FEFF}').contains(&c));
    let s = desk.wait_for("the desk", T, |s| s.contains("Claims 54/54"));
    assert!(!shaped(&s), "letters isolated before the answer: {s}");
    // xterm answers XTVERSION, then DA1. The `3` in it must not mark a claim.
    desk.send("\x1bP>|XTerm(379)\x1b\\\x1b[?64;1;2;6;9;15;18;21;22c");
    let s = desk.wait_for("joined letters for xterm", T, shaped);
    assert!(
        s.contains("0/54 reviewed"),
        "the answer was read as keys: {s}"
    );
    desk.type_keys(&["j"]);
    desk.wait_for("keys work after the answer", T, |s| s.contains("▶ alb-02"));
    desk.type_keys(&["q"]);
    assert_eq!(desk.wait_exit(T), Some(true));
    let saved = Desk::load(dir.path()).expect("loads");
    assert!(
        saved.claims().all(|(_, c)| c.status == Status::Unreviewed),
        "no claim was marked by the answer"
    );
}

/// A desk of several megabytes opens on its first files and takes in the
/// rest while it runs: the list ends with every claim, the desk says so,
/// and a key typed meanwhile marks the claim it was typed on.
#[test]
fn a_large_desk_opens_at_once_and_takes_in_the_rest() {
    let dir = tempfile::tempdir().expect("temp dir");
    claimdesk::synth::write_desk(dir.path(), 80, 100, 3).expect("synthetic desk");
    let mut desk = spawn(dir.path(), &[("CLAIMDESK_NO_CACHE", "1")], 100, 30);
    desk.wait_for("the first frame", T, |s| s.contains("Claims "));
    desk.type_keys(&["3"]);
    let screen = desk.wait_for("every file", T, |s| {
        s.contains("Claims 8000/8000") && s.contains("8000/8000 shown")
    });
    assert!(!screen.contains("loading"), "{screen}");
    desk.type_keys(&["q"]);
    assert_eq!(desk.wait_exit(T), Some(true));
    let first = Desk::load(dir.path()).expect("loads");
    let c = first
        .claims()
        .next()
        .map(|(_, c)| c.clone())
        .expect("a claim");
    assert_eq!(c.status, Status::Verified, "the key marked it");
    assert_eq!(c.history.last().map(|h| h.by.as_str()), Some("e2e"));
}

/// A search typed while a large desk loads is answered at once over what
/// has arrived, and says so; it grows as the rest arrives, to what a desk
/// loaded whole finds. (The keys never wait for the load.)
#[test]
fn a_search_typed_while_the_desk_loads_is_answered_before_the_load_ends() {
    let dir = tempfile::tempdir().expect("temp dir");
    claimdesk::synth::write_desk(dir.path(), 400, 100, 5).expect("synthetic desk");
    let mut desk = spawn(dir.path(), &[("CLAIMDESK_NO_CACHE", "1")], 120, 30);
    desk.wait_for("the first frame", T, |s| s.contains("Claims "));
    desk.send("/");
    desk.send("c");
    desk.send("y");
    let answered = desk.wait_for("the search answered", T, |s| s.contains("/cy█"));
    assert!(
        answered.contains("(loading)") && answered.contains("searching "),
        "answered only after the load: {answered}"
    );
    let loaded = desk.wait_for("the whole desk", Duration::from_secs(120), |s| {
        s.contains("/cy█") && !s.contains("loading")
    });
    // The same hits as the desk loaded whole.
    let whole = Desk::load(dir.path()).expect("loads");
    let catalog = claimdesk::query::Catalog::of(&whole);
    let filter = claimdesk::query::Filter {
        search: "cy".into(),
        ..Default::default()
    };
    let mut found = Vec::new();
    claimdesk::query::Searcher::default().filter_into(&whole, &catalog, &filter, &mut found);
    let hits = found.len();
    assert!(hits > 0 && hits < 40_000, "{hits}");
    assert!(
        loaded.contains(&format!("Claims {hits}/40000")),
        "{hits} hits expected: {loaded}"
    );
    desk.type_keys(&[ESC, ESC, "q"]);
    assert_eq!(desk.wait_exit(T), Some(true));
}

/// The search index a desk folds is kept beside the parse cache, and the
/// next start reads it back instead of folding again: it finds the same.
#[test]
fn a_warm_start_reads_the_kept_search_index_back_and_finds_the_same() {
    let dir = tempfile::tempdir().expect("temp dir");
    claimdesk::synth::write_desk(dir.path(), 80, 100, 3).expect("synthetic desk");
    let cache = tempfile::tempdir().expect("cache dir");
    let home = cache.path().to_str().expect("utf-8 temp path");
    let search = |desk: &mut PtyDesk| {
        desk.wait_for("every file", T, |s| s.contains("8000/8000 shown"));
        desk.type_keys(&["/", "c", "y", "b", "e", "r", ENTER]);
        let s = desk.wait_for("the hits", T, |s| s.contains("search: cyber"));
        let shown = s.lines().find_map(|l| l.split_once("/8000 shown"));
        let hits = shown.and_then(|(before, _)| before.split_whitespace().last());
        hits.and_then(|n| n.parse::<usize>().ok())
            .unwrap_or_else(|| panic!("no count of hits: {s}"))
    };
    let kept = || -> Vec<(std::path::PathBuf, u64)> {
        let mut entries: Vec<_> = files_under(cache.path())
            .into_iter()
            .filter(|p| p.parent().is_some_and(|d| d.ends_with("folded")))
            .map(|p| {
                let inode = fs::metadata(&p).expect("entry").ino();
                (p, inode)
            })
            .collect();
        entries.sort();
        entries
    };
    let mut cold = spawn(dir.path(), &[("XDG_CACHE_HOME", home)], 100, 30);
    let found_cold = search(&mut cold);
    cold.type_keys(&[ESC, "q"]);
    assert_eq!(cold.wait_exit(T), Some(true));
    let before = kept();
    assert_eq!(before.len(), 80, "a kept index for every file");

    let mut warm = spawn(dir.path(), &[("XDG_CACHE_HOME", home)], 100, 30);
    let found_warm = search(&mut warm);
    warm.type_keys(&[ESC, "q"]);
    assert_eq!(warm.wait_exit(T), Some(true));
    assert!(found_cold > 0);
    assert_eq!(found_warm, found_cold);
    let after = kept();
    let rewritten = before.iter().zip(&after).filter(|(b, a)| b != a).count();
    assert_eq!(after.len(), 80);
    assert_eq!(rewritten, 0, "read back, not folded and written again");
}
