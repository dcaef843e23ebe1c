//! A claims file full of terminal escapes, fed through the real CLI and the
//! real desk: the bytes that reach the terminal must carry none of them.

mod common;

use std::path::Path;
use std::time::Duration;

use common::pty::PtyDesk;
use common::*;

/// Sequences that would retitle the window, clear the screen, write the
/// clipboard (OSC 52), or reverse text (RLO), written as YAML escapes.
const EVIL_YAML: &str = "\\e]0;pwned\\a \\e[2J \\e]52;c;cHduZWQ=\\a \\u202Eevil \\x9b31m";
const FORBIDDEN: [&str; 5] = [
    "\x1b]0;pwned",
    "\x1b[2J",
    "\x1b]52;c;cHduZWQ",
    "\u{202e}",
    "\u{9b}",
];

fn hostile_desk() -> tempfile::TempDir {
    let dir = copy_of_claims();
    let path = data_file(dir.path());
    let text = std::fs::read_to_string(&path).expect("read");
    let text = text
        .replacen(
            "text: بعد هجوم إلكتروني ثان",
            &format!("text: \"ثان {EVIL_YAML}\""),
            1,
        )
        .replacen("name: 24.ae", &format!("name: \"24.ae {EVIL_YAML}\""), 1)
        .replacen(
            "name: \"24.ae\"",
            &format!("name: \"24.ae {EVIL_YAML}\""),
            1,
        );
    std::fs::write(&path, text).expect("write");
    dir
}

fn assert_clean(what: &str, out: &str) {
    for f in FORBIDDEN {
        assert!(!out.contains(f), "{what} passed {f:?} through");
    }
}

#[test]
fn cli_output_carries_no_escape_from_the_file() {
    let dir = hostile_desk();
    for args in [&["list"][..], &["show", "alb-01"], &["stats"]] {
        let out = claimdesk(dir.path(), args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let text = stdout(&out);
        assert_clean(&format!("{args:?}"), &text);
        assert!(
            text.contains('␛'),
            "{args:?} hides the escape instead of showing it:\n{text}"
        );
    }
    let show = stdout(&claimdesk(dir.path(), &["show", "alb-01"]));
    assert!(show.contains("\\u{202e}"), "{show}");
    // JSON escapes control characters by itself.
    let json = stdout(&claimdesk(dir.path(), &["list", "--json"]));
    assert_clean("list --json", &json);
    assert!(
        json.contains("\\u001b]0;pwned"),
        "{}",
        &json[..400.min(json.len())]
    );
    // Escaped, not lost: a JSON reader gets the file's exact text back.
    let rows: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let text = rows[0]["text"].as_str().expect("text");
    assert!(text.contains('\u{202e}') && text.contains('\u{9b}') && text.contains('\u{1b}'));
}

#[test]
fn the_desk_sends_no_escape_from_the_file_to_the_terminal() {
    let dir = hostile_desk();
    let d = dir.path().to_str().expect("utf-8");
    let mut desk = PtyDesk::spawn(
        Path::new(&bin()),
        &["-C", d, "--reviewer", "e2e"],
        &[],
        100,
        30,
    );
    desk.wait_for("the desk", Duration::from_secs(10), |s| {
        s.contains("Claims 54/54")
    });
    // The detail, the full claim, the article and the source picker all show the hostile strings.
    for k in ["\r", "\x1b", "a", "\x1b", "s", "\x1b"] {
        desk.type_keys(&[k]);
    }
    desk.settle(Duration::from_millis(200));
    let raw = desk.raw();
    assert_clean("the desk", &raw);
    assert!(
        raw.contains("␛]0;pwned"),
        "the escape should be shown visibly"
    );
    desk.type_keys(&["q"]);
    assert_eq!(desk.wait_exit(Duration::from_secs(5)), Some(true));
}
