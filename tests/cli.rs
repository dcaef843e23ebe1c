//! The `claimdesk` command line, run as a real process.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use claimdesk::model::{ClaimId, Status};
use claimdesk::store::Desk;
use common::*;

#[test]
fn list_json_has_the_promised_fields_and_source_filter_includes_children() {
    let out = claimdesk(
        Path::new(SHIPPED),
        &["list", "--source", "White House", "--json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let rows = rows.as_array().expect("array");
    // The White House itself (1), its NSC spokesperson (4) and press secretary (2).
    assert_eq!(rows.len(), 7);
    for r in rows {
        for key in ["id", "source", "status", "text"] {
            assert!(r.get(key).is_some(), "missing {key} in {r}");
        }
    }
    assert!(
        rows.iter()
            .any(|r| r["source"] == "NSC spokesperson Adrienne Watson")
    );
}

#[test]
fn source_filters_match_words_not_letters() {
    let sources_of = |needle: &str| -> Vec<String> {
        let out = claimdesk(Path::new(SHIPPED), &["list", "--source", needle, "--json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let rows = rows.as_array().cloned().unwrap_or_default();
        rows.iter()
            .map(|r| r["source"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let iran = sources_of("Iran");
    assert!(
        iran.iter().any(|s| s == "Government of Iran (Tehran)"),
        "{iran:?}"
    );
    assert!(!iran.iter().any(|s| s.contains("Tirana")), "{iran:?}");
    // Tehran's own words; the IRGC's news agency does not speak for the government.
    let tehran = sources_of("Tehran");
    assert!(!tehran.is_empty());
    assert!(!tehran.iter().any(|s| s.contains("Fars")), "{tehran:?}");
}

#[test]
fn list_cuts_source_names_between_words() {
    let out = claimdesk(Path::new(SHIPPED), &["list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let names: Vec<String> = {
        let out = claimdesk(Path::new(SHIPPED), &["list", "--json"]);
        let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let rows = rows.as_array().cloned().unwrap_or_default();
        rows.iter()
            .map(|r| r["source"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let table = stdout(&out);
    for (line, name) in table.lines().skip(1).zip(&names) {
        // After the id: the source, then two spaces or more.
        let after_id = line
            .split_once(' ')
            .map_or("", |(_, rest)| rest.trim_start());
        let shown = after_id
            .split("  ")
            .map(str::trim)
            .find(|cell| !cell.is_empty())
            .unwrap_or("");
        let shown = shown.trim_end_matches('…');
        // Whole names, or whole words of them: never a word cut short.
        let whole_words =
            name.starts_with(shown) && name[shown.len()..].chars().next().is_none_or(|c| c == ' ');
        assert!(whole_words, "{name:?} shown as {shown:?} in {line:?}");
    }
}

#[test]
fn list_filters_by_status_and_prints_a_table() {
    let dir = copy_of_claims();
    assert!(
        claimdesk(dir.path(), &["set", "alb-05", "false"])
            .status
            .success()
    );
    let out = claimdesk(dir.path(), &["list", "--status", "false"]);
    let text = stdout(&out);
    assert!(text.starts_with("ID "), "{text}");
    assert!(text.contains("alb-05"), "{text}");
    assert!(text.contains("1 claim(s)"), "{text}");
}

#[test]
fn show_prints_everything_about_a_claim() {
    let dir = copy_of_claims();
    let set = claimdesk(
        dir.path(),
        &[
            "set",
            "alb-11",
            "verified",
            "--note",
            "Rama tweet found",
            "--evidence",
            "https://x.example/rama",
        ],
    );
    assert!(set.status.success(), "{}", stderr(&set));
    assert_eq!(
        stdout(&set),
        "alb-11: unreviewed -> verified (by tester; replaced unreviewed)\n"
    );
    // Another reviewer's `set` applies at once, and says whose verdict it replaced.
    let again = Command::new(bin())
        .env("CLAIMDESK_NO_CACHE", "1")
        .env("CLAIMDESK_REVIEWER", "bob")
        .arg("-C")
        .arg(dir.path())
        .args(["set", "alb-11", "false"])
        .output()
        .expect("run");
    let said = stdout(&again);
    assert!(
        said.starts_with(
            "alb-11: verified -> false (by bob; replaced verified, set by tester at 20"
        ),
        "{said}"
    );
    let back = claimdesk(dir.path(), &["set", "alb-11", "verified"]);
    assert!(back.status.success());
    let out = stdout(&claimdesk(dir.path(), &["show", "alb-11"]));
    for want in [
        "alb-11  [verified]",
        "Prime Minister Edi Rama",
        "Government of Albania",
        "Paragraph:   5",
        "Another cyberattack by the same aggressors",
        "Rama tweet found",
        "https://x.example/rama",
        "tester: unreviewed -> verified",
        "bob: verified -> false",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
}

#[test]
fn unknown_id_or_status_fails_with_a_suggestion_and_touches_nothing() {
    let dir = copy_of_claims();
    let path = data_file(dir.path());
    let before = fs::read(&path).expect("read");
    let bad_id = claimdesk(dir.path(), &["set", "alb-7", "verified"]);
    assert_eq!(bad_id.status.code(), Some(2));
    assert!(
        stderr(&bad_id).contains("no claim with id `alb-7`"),
        "{}",
        stderr(&bad_id)
    );
    assert!(
        stderr(&bad_id).contains("did you mean"),
        "{}",
        stderr(&bad_id)
    );
    let bad_status = claimdesk(dir.path(), &["set", "alb-07", "verifyed"]);
    assert_eq!(bad_status.status.code(), Some(2));
    assert!(stderr(&bad_status).contains("did you mean `verified`"));
    assert_eq!(fs::read(&path).expect("read"), before);
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .expect("ls")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["000_albania-iran-cyberattacks.yaml", "claimdesk.yaml"],
        "a failed set left files behind"
    );
}

#[test]
fn check_fails_with_exit_1_on_a_broken_file() {
    let dir = copy_of_claims();
    let path = data_file(dir.path());
    let text = fs::read_to_string(&path).expect("read");
    fs::write(
        &path,
        text.replacen("source: nato-member-states", "source: nato-membr-states", 1),
    )
    .expect("write");
    let out = claimdesk(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("000_albania-iran-cyberattacks.yaml:"), "{err}");
    assert!(err.contains("did you mean `nato-member-states`"), "{err}");
}

#[test]
fn help_exists_for_every_command() {
    for cmd in ["list", "show", "set", "stats", "check"] {
        let out = Command::new(bin())
            .args([cmd, "--help"])
            .output()
            .expect("run");
        assert!(out.status.success(), "{cmd} --help");
        assert!(stdout(&out).contains("Usage:"), "{cmd}");
    }
    let top = stdout(&Command::new(bin()).arg("--help").output().expect("run"));
    assert!(top.contains("Exit codes:"), "{top}");
}

#[test]
fn reviewer_comes_from_flag_then_env_then_user() {
    let dir = copy_of_claims();
    let run = |args: &[&str], reviewer: Option<&str>| {
        let mut c = Command::new(bin());
        c.env("CLAIMDESK_NO_CACHE", "1")
            .arg("-C")
            .arg(dir.path())
            .args(args)
            .env("USER", "unixuser");
        match reviewer {
            Some(r) => c.env("CLAIMDESK_REVIEWER", r),
            None => c.env_remove("CLAIMDESK_REVIEWER"),
        };
        c.output().expect("run")
    };
    assert!(run(&["set", "alb-01", "in-review"], None).status.success());
    assert!(
        run(&["set", "alb-01", "verified"], Some("envname"))
            .status
            .success()
    );
    assert!(
        run(
            &["--reviewer", "flagname", "set", "alb-01", "false"],
            Some("envname")
        )
        .status
        .success()
    );
    // No $USER at all (a bare container): the account's own name.
    let bare = Command::new(bin())
        .env("CLAIMDESK_NO_CACHE", "1")
        .env_remove("USER")
        .env_remove("CLAIMDESK_REVIEWER")
        .arg("-C")
        .arg(dir.path())
        .args(["set", "alb-01", "misleading"])
        .output()
        .expect("run");
    assert!(bare.status.success(), "{}", stderr(&bare));
    let c = saved_claim(dir.path(), "alb-01");
    let by: Vec<&str> = c.history.iter().map(|h| h.by.as_str()).collect();
    assert_eq!(by[..3], ["unixuser", "envname", "flagname"]);
    let account = by[3];
    assert!(!account.is_empty() && !["unixuser", "envname", "flagname"].contains(&account));
}

#[test]
fn parallel_writers_on_one_file_lose_nothing() {
    let dir = copy_of_claims();
    let writers = 24;
    let children: Vec<_> = (0..writers)
        .map(|i| {
            let id = format!("alb-{:02}", i % 12 + 1);
            let note = format!("writer {i}");
            Command::new(bin())
                .env("CLAIMDESK_NO_CACHE", "1")
                .arg("-C")
                .arg(dir.path())
                .args([
                    "--reviewer",
                    &format!("r{i}"),
                    "set",
                    &id,
                    "verified",
                    "--note",
                    &note,
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let desk = Desk::load(dir.path()).expect("file still valid");
    let notes: Vec<String> = desk
        .claims()
        .flat_map(|(_, c)| c.history.iter().filter_map(|h| h.note.clone()))
        .collect();
    assert_eq!(notes.len(), writers);
    for i in 0..writers {
        assert!(
            notes.contains(&format!("writer {i}")),
            "writer {i}'s entry is missing"
        );
    }
}

/// Kill `claimdesk set` at random moments: the file always parses, and every
/// change whose process reported success is there.
#[test]
fn sigkill_at_any_moment_leaves_a_valid_file_with_every_acknowledged_change() {
    let dir = copy_of_claims();
    // Kill delays spread over twice an uncontested run, so some runs finish and most are cut mid-way.
    let started = std::time::Instant::now();
    assert!(
        claimdesk(dir.path(), &["set", "alb-20", "in-review"])
            .status
            .success()
    );
    let span = (started.elapsed().as_micros() as u64 * 2).max(1);
    let mut acknowledged = Vec::new();
    let mut killed = 0;
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for round in 0..40 {
        // xorshift: a cheap, reproducible spread of delays.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_micros(seed % span);
        let note = format!("round {round}");
        let mut child = Command::new(bin())
            .env("CLAIMDESK_NO_CACHE", "1")
            .arg("-C")
            .arg(dir.path())
            .args([
                "--reviewer",
                "killer",
                "set",
                "alb-20",
                "misleading",
                "--note",
                &note,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().expect("wait");
        if status.success() {
            acknowledged.push(note);
        } else {
            killed += 1;
        }
        let desk = Desk::load(dir.path())
            .unwrap_or_else(|p| panic!("round {round}: file corrupted after kill:\n{p}"));
        let c = desk
            .get(desk.find(&ClaimId("alb-20".into())).expect("id"))
            .expect("claim");
        for n in &acknowledged {
            assert!(
                c.history
                    .iter()
                    .any(|h| h.note.as_deref() == Some(n.as_str())),
                "round {round}: acknowledged change `{n}` lost"
            );
        }
        if !acknowledged.is_empty() {
            assert_eq!(c.status, Status::Misleading);
        }
    }
    assert!(
        killed > 0 && !acknowledged.is_empty(),
        "killed {killed}, finished {}",
        acknowledged.len()
    );
    let leftovers = fs::read_dir(dir.path())
        .expect("ls")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".yaml"))
        .count();
    assert_eq!(
        leftovers, 2,
        "a killed writer left another .yaml file beside the claims and settings"
    );
    // Temp files the killed writers left are removed by the next save once
    // they are a minute old (a live writer's temp never is).
    let temps = |dir: &Path| -> Vec<std::path::PathBuf> {
        fs::read_dir(dir)
            .expect("ls")
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().ends_with(".tmp"))
            })
            .collect()
    };
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    // One leftover for certain, whatever the kills above left.
    fs::write(dir.path().join(".claimdesk-dead01.tmp"), "half a save").expect("write");
    for t in temps(dir.path()) {
        let f = fs::File::options().write(true).open(&t).expect("open temp");
        f.set_modified(hour_ago).expect("age it");
    }
    let fresh = dir.path().join(".claimdesk-live01.tmp");
    fs::write(&fresh, "a save in flight").expect("write");
    assert!(
        claimdesk(dir.path(), &["set", "alb-21", "in-review"])
            .status
            .success()
    );
    assert_eq!(temps(dir.path()), [fresh], "only the fresh temp file stays");
}

/// Run the binary with its cache under `cache_home`.
fn cached(dir: &Path, cache_home: &Path, args: &[&str]) -> std::process::Output {
    Command::new(bin())
        .env_remove("CLAIMDESK_NO_CACHE")
        .env("XDG_CACHE_HOME", cache_home)
        .env("CLAIMDESK_REVIEWER", "tester")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("run")
}

#[test]
fn the_parse_cache_is_used_only_while_the_file_is_unchanged() {
    let dir = copy_of_claims();
    let cache_home = tempfile::tempdir().expect("temp dir");
    let first = stdout(&cached(dir.path(), cache_home.path(), &["list", "--json"]));
    let entries: Vec<_> = files_under(cache_home.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".bin"))
        .collect();
    assert_eq!(
        entries.len(),
        1,
        "one entry for the one claims file: {entries:?}"
    );
    assert_eq!(
        stdout(&cached(dir.path(), cache_home.path(), &["list", "--json"])),
        first
    );

    // A change on disk makes the entry stale: the YAML is read again.
    assert!(
        cached(dir.path(), cache_home.path(), &["set", "alb-03", "false"])
            .status
            .success()
    );
    let after = stdout(&cached(
        dir.path(),
        cache_home.path(),
        &["list", "--status", "false", "--json"],
    ));
    assert!(after.contains("alb-03"), "{after}");

    // A damaged cache is ignored, never trusted.
    for e in &entries {
        fs::write(e, "CLAIMDSK not an entry").expect("damage the cache");
    }
    let again = cached(
        dir.path(),
        cache_home.path(),
        &["list", "--status", "false", "--json"],
    );
    assert!(again.status.success() && stdout(&again).contains("alb-03"));
}

#[test]
fn list_columns_stay_aligned_with_harakat_and_lam_alef() {
    use unicode_width::UnicodeWidthChar;
    let dir = copy_of_claims();
    let path = data_file(dir.path());
    let text = fs::read_to_string(&path).expect("read");
    // Harakat take no cell; lam-alef takes two (one per letter, as terminals draw it).
    let text = text.replacen("name: NATO member states", "name: مَسْؤُولُو لا", 1);
    fs::write(&path, text).expect("write");
    let out = stdout(&claimdesk(dir.path(), &["list"]));
    // Display columns counted char by char, independently of the code under test.
    let text_column = |line: &str| -> usize {
        let start = line.find("unreviewed").expect("status") + "unreviewed".len();
        let before: String = line[..start].chars().collect();
        before.chars().map(|c| c.width().unwrap_or(0)).sum()
    };
    let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("alb-")).collect();
    let arabic = rows
        .iter()
        .find(|l| l.contains("مَسْؤُولُو"))
        .expect("the Arabic source row");
    let plain = rows[0];
    assert_eq!(
        text_column(arabic),
        text_column(plain),
        "\n{plain}\n{arabic}"
    );
    let status_col = |line: &str| -> usize {
        let before = &line[..line.find("unreviewed").expect("status")];
        before.chars().map(|c| c.width().unwrap_or(0)).sum()
    };
    assert_eq!(status_col(arabic), status_col(plain), "\n{plain}\n{arabic}");
}

#[test]
fn evidence_and_note_commands_record_one_entry_each_without_restating_the_status() {
    let dir = copy_of_claims();
    let url = "https://mod.gov.al/statement";
    let add = claimdesk(dir.path(), &["evidence", "add", "alb-07", url]);
    assert!(add.status.success(), "{}", stderr(&add));
    assert_eq!(
        stdout(&add),
        format!("alb-07: added evidence {url} (by tester)\n")
    );
    let note = claimdesk(dir.path(), &["note", "alb-07", "line one\nline two"]);
    assert!(note.status.success(), "{}", stderr(&note));
    let bad = claimdesk(dir.path(), &["evidence", "add", "alb-07", "ftp://x.org/a"]);
    assert_eq!(bad.status.code(), Some(1));
    let missing = claimdesk(
        dir.path(),
        &["evidence", "remove", "alb-07", "https://x.org/nope"],
    );
    assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
    let remove = claimdesk(dir.path(), &["evidence", "remove", "alb-07", url]);
    assert!(remove.status.success(), "{}", stderr(&remove));
    let c = saved_claim(dir.path(), "alb-07");
    assert!(c.evidence.is_empty());
    assert_eq!(c.note.as_deref(), Some("line one\nline two"));
    let what: Vec<String> = c.history.iter().map(|h| h.what()).collect();
    assert_eq!(
        what,
        [
            format!("added evidence {url}"),
            "note \"line one\nline two\"".to_string(),
            format!("removed evidence {url}"),
        ]
    );
    // `show` keeps the note's line break, and lists history newest first.
    let show = stdout(&claimdesk(dir.path(), &["show", "alb-07"]));
    assert!(
        show.contains("line one\n") && show.contains("line two"),
        "{show}"
    );
    let removed = show.find("removed evidence").expect("removed listed");
    let added = show.find("added evidence").expect("added listed");
    assert!(removed < added, "newest first:\n{show}");
}

/// Text that leaves for a pipe is the file's text, byte for byte: no
/// bracket mirrored, no line broken, whatever `--bidi` or TERM say.
#[test]
fn show_and_list_to_a_pipe_give_the_files_text_byte_for_byte() {
    let dir = copy_of_claims();
    let doc = claimdesk::store::load_file(&data_file(dir.path()), None).expect("loads");
    let c = doc
        .claims
        .iter()
        .find(|c| c.id.0 == "alb-13")
        .expect("alb-13");
    assert!(
        c.text.contains("(تموز)"),
        "the test needs brackets in RTL text"
    );
    for args in [
        vec!["show", "alb-13"],
        vec!["--bidi", "off", "show", "alb-13"],
        vec!["--bidi", "on", "show", "alb-13"],
    ] {
        let out = claimdesk(dir.path(), &args);
        let s = stdout(&out);
        assert!(s.contains(&c.text), "{args:?}:\n{s}");
        assert!(s.contains(&c.translation), "{args:?}:\n{s}");
        assert!(!s.contains(")تموز("), "{args:?}: a mirrored bracket\n{s}");
    }
    let out = claimdesk(dir.path(), &["list"]);
    let s = stdout(&out);
    let row = s
        .lines()
        .find(|l| l.starts_with("alb-13  "))
        .expect("a row");
    assert!(row.ends_with(c.text.as_str()), "{row}");
}
