//! A hostile group member, a hostile file and a hostile link, against the
//! store and the command line: each finding of the attack on the desk,
//! reproduced.

mod common;

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;

fn mode(p: &Path) -> u32 {
    fs::metadata(p).expect("stat").permissions().mode() & 0o7777
}

#[test]
fn a_symlinked_lock_sidecar_is_refused_and_its_target_left_alone() {
    let dir = copy_of_claims();
    let secret_dir = tempfile::tempdir().expect("temp dir");
    let secret = secret_dir.path().join("id_ed25519");
    fs::write(&secret, "PRIVATE KEY").expect("write");
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o600)).expect("chmod");
    fs::set_permissions(data_file(dir.path()), fs::Permissions::from_mode(0o644)).expect("chmod");
    symlink(
        &secret,
        dir.path().join(".000_albania-iran-cyberattacks.yaml.lock"),
    )
    .expect("plant");
    let before = fs::read(data_file(dir.path())).expect("read");
    let out = claimdesk(dir.path(), &["set", "alb-01", "verified"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is a symbolic link"),
        "{}",
        stderr(&out)
    );
    assert_eq!(mode(&secret), 0o600, "the target's mode changed");
    assert_eq!(fs::read(&secret).expect("read"), b"PRIVATE KEY");
    assert_eq!(fs::read(data_file(dir.path())).expect("read"), before);
}

#[test]
fn a_link_named_like_a_stale_temp_file_is_not_followed_or_removed() {
    let dir = copy_of_claims();
    let victim_dir = tempfile::tempdir().expect("temp dir");
    let victim = victim_dir.path().join("precious");
    fs::write(&victim, "keep me").expect("write");
    let link = dir.path().join(".claimdesk-evil01.tmp");
    symlink(&victim, &link).expect("plant");
    let out = claimdesk(dir.path(), &["set", "alb-01", "verified"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&victim).expect("read"), "keep me");
    assert!(fs::symlink_metadata(&link).is_ok(), "not ours to remove");
}

#[test]
fn a_lock_held_elsewhere_is_waited_for_a_while_then_named() {
    let dir = copy_of_claims();
    let sidecar = dir.path().join(".000_albania-iran-cyberattacks.yaml.lock");
    fs::write(&sidecar, "").expect("sidecar");
    // Someone holds it, even through a read-only descriptor.
    let held = fs::File::open(&sidecar).expect("open");
    held.lock().expect("lock");
    let start = Instant::now();
    let out = Command::new(bin())
        .env("CLAIMDESK_NO_CACHE", "1")
        .env("CLAIMDESK_REVIEWER", "tester")
        .env("CLAIMDESK_LOCK_WAIT_MS", "400")
        .arg("-C")
        .arg(dir.path())
        .args(["set", "alb-01", "verified"])
        .output()
        .expect("run");
    let took = start.elapsed();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("another process has held the lock") && err.contains(".lock"),
        "{err}"
    );
    assert!(took < Duration::from_secs(5), "waited {took:?}");
    drop(held);
    assert!(
        claimdesk(dir.path(), &["set", "alb-01", "verified"])
            .status
            .success()
    );
}

#[test]
fn any_hostile_file_is_refused_fast_with_a_bounded_report() {
    // The budget (0.5 s, optimised) is in `cargo bench`; an unoptimised test
    // build gets a generous bound that still catches the 21 s of before.
    for (what, body) in claimdesk::synth::hostile_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("a.yaml"), &body).expect("write");
        let start = Instant::now();
        let loaded = claimdesk::store::Desk::load(dir.path());
        let took = start.elapsed();
        eprintln!("{what}: {took:?}");
        assert!(took < Duration::from_secs(4), "{what}: {took:?}");
        match loaded {
            Ok(_) => assert_eq!(what, "a valid file"),
            Err(p) => {
                assert_ne!(what, "a valid file", "{p}");
                let report = p.to_string();
                assert!(
                    report.len() < 100_000,
                    "{what}: a {} byte report",
                    report.len()
                );
                assert!(p.0.len() <= 101, "{what}: {} problems", p.0.len());
            }
        }
    }
}

#[test]
fn a_change_that_would_outgrow_the_file_limit_is_refused_before_writing() {
    let dir = copy_of_claims();
    let huge = "x".repeat(70 * 1024);
    let out = claimdesk(dir.path(), &["set", "alb-01", "verified", "--note", &huge]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("a note may hold"), "{}", stderr(&out));
    // A file just under the read limit: any growth past it is refused.
    let path = data_file(dir.path());
    let text = fs::read_to_string(&path).expect("read");
    let filler = "y".repeat(60_000);
    let per = filler.len() + 40;
    let room = (16 << 20) - text.len() - 200;
    let padding: String = (0..room / per)
        .map(|i| format!("padding{i}: {filler}\n"))
        .collect();
    let padded = text.replacen("claims:\n", &format!("{padding}claims:\n"), 1);
    fs::write(&path, &padded).expect("pad");
    assert!(
        claimdesk(dir.path(), &["check"]).status.success(),
        "the padded file loads"
    );
    let note = "z".repeat(60 * 1024);
    let out = claimdesk(dir.path(), &["set", "alb-01", "verified", "--note", &note]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("would grow to"), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        padded,
        "nothing written"
    );
}

#[test]
fn evidence_that_is_not_a_web_address_is_refused_everywhere() {
    let dir = copy_of_claims();
    for url in [
        "javascript:alert(1)",
        "https://",
        "ftp://x.org/a",
        "https://x.org/a b",
    ] {
        let out = claimdesk(
            dir.path(),
            &["set", "alb-01", "verified", "--evidence", url],
        );
        assert_eq!(out.status.code(), Some(1), "{url}");
        assert!(
            stderr(&out).contains("give an http:// or https:// address"),
            "{}",
            stderr(&out)
        );
    }
    let path = data_file(dir.path());
    let text = fs::read_to_string(&path).expect("read");
    fs::write(
        &path,
        text.replacen(
            "    status: unreviewed\n",
            "    status: unreviewed\n    evidence:\n      - javascript:alert(1)\n",
            1,
        ),
    )
    .expect("write");
    let out = claimdesk(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("evidence `javascript:alert(1)` is not an http or https URL"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn error_messages_carry_no_escape_sequence_from_a_file() {
    let dir = copy_of_claims();
    let path = data_file(dir.path());
    let text = fs::read_to_string(&path).expect("read");
    fs::write(
        &path,
        text.replacen(
            "  - id: alb-02\n",
            "  - id: \"alb\\e]0;pwned\\a\\e[2J\"\n",
            1,
        )
        .replacen(
            "  - id: alb-03\n",
            "  - id: \"alb\\e]0;pwned\\a\\e[2J\"\n",
            1,
        ),
    )
    .expect("write");
    fs::write(dir.path().join("evil\u{1b}[31m.yaml"), "article: [\n").expect("write");
    let out = claimdesk(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("␛]0;pwned"), "shown, not hidden: {err}");
}

#[test]
fn export_out_refuses_links_and_devices_and_replaces_only_files() {
    let dir = copy_of_claims();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let target = elsewhere.path().join("target");
    fs::write(&target, "do not replace").expect("write");
    let link = elsewhere.path().join("link");
    symlink(&target, &link).expect("link");
    let fifo = elsewhere.path().join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success()
    );
    for out_path in [&link, &fifo] {
        let p = out_path.to_str().expect("utf-8");
        let out = claimdesk(dir.path(), &["export", "--format", "csv", "--out", p]);
        assert_eq!(out.status.code(), Some(2), "{p}: {}", stderr(&out));
        assert!(stderr(&out).contains("leave out --out"), "{}", stderr(&out));
    }
    assert!(
        fs::symlink_metadata(&link)
            .expect("stat")
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(&target).expect("read"), "do not replace");
    let file = elsewhere.path().join("out.csv");
    let p = file.to_str().expect("utf-8");
    assert!(
        claimdesk(dir.path(), &["export", "--format", "csv", "--out", p])
            .status
            .success()
    );
    assert!(fs::read_to_string(&file).expect("read").starts_with("id,"));
}
