//! The git merge driver, with real git in temporary repositories.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use claimdesk::model::{ClaimId, Status};
use claimdesk::store::Desk;
use common::*;

fn git(repo: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .output()
        .expect("git is installed")
}

fn ok(o: Output) -> Output {
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// A repository with the shipped claims committed on `main`, and the
/// driver configured as the README says.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let r = dir.path();
    ok(git(r, &["init", "-q", "-b", "main"]));
    fs::create_dir(r.join("claims")).expect("mkdir");
    fs::copy(SHIPPED_FILE, data_file(&r.join("claims"))).expect("copy");
    fs::write(r.join(".gitattributes"), "claims/*.yaml merge=claimdesk\n").expect("attributes");
    let driver = format!("{} merge-driver %O %A %B", bin().display());
    ok(git(
        r,
        &[
            "config",
            "merge.claimdesk.name",
            "claimdesk claim-by-claim merge",
        ],
    ));
    ok(git(r, &["config", "merge.claimdesk.driver", &driver]));
    ok(git(r, &["add", "."]));
    ok(git(r, &["commit", "-q", "-m", "claims"]));
    dir
}

fn set(repo: &Path, reviewer: &str, args: &[&str]) {
    let out = Command::new(bin())
        .env("CLAIMDESK_NO_CACHE", "1")
        .arg("-C")
        .arg(repo.join("claims"))
        .args(["--reviewer", reviewer, "set"])
        .args(args)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
}

fn commit(repo: &Path, msg: &str) {
    ok(git(repo, &["commit", "-q", "-am", msg]));
}

fn claim(repo: &Path, id: &str) -> claimdesk::model::Claim {
    let desk = Desk::load(&repo.join("claims")).expect("merged file is valid");
    desk.get(desk.find(&ClaimId(id.into())).expect("id"))
        .expect("claim")
        .clone()
}

#[test]
fn different_claims_on_two_branches_merge_cleanly() {
    let dir = repo();
    let r = dir.path();
    ok(git(r, &["checkout", "-q", "-b", "bob"]));
    set(r, "bob", &["alb-01", "verified", "--note", "bob checked"]);
    commit(r, "bob");
    ok(git(r, &["checkout", "-q", "main"]));
    // alb-02 sits right below alb-01: a line-based merge would conflict.
    set(r, "alice", &["alb-02", "false", "--note", "alice checked"]);
    commit(r, "alice");
    let merge = ok(git(r, &["merge", "-q", "--no-edit", "bob"]));
    assert!(merge.status.success());
    assert_eq!(claim(r, "alb-01").status, Status::Verified);
    assert_eq!(claim(r, "alb-01").history[0].by, "bob");
    assert_eq!(claim(r, "alb-02").status, Status::False);
    assert_eq!(claim(r, "alb-02").history[0].by, "alice");
    let text = fs::read_to_string(data_file(&r.join("claims"))).expect("read");
    assert!(!text.contains("<<<<<<<"));
}

#[test]
fn the_same_claim_changed_on_both_sides_keeps_the_newer_and_both_histories() {
    let dir = repo();
    let r = dir.path();
    ok(git(r, &["checkout", "-q", "-b", "bob"]));
    set(
        r,
        "bob",
        &["alb-03", "misleading", "--note", "bob: overstated"],
    );
    commit(r, "bob");
    ok(git(r, &["checkout", "-q", "main"]));
    // History times have one-second resolution: make alice's change clearly newer.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    set(
        r,
        "alice",
        &["alb-03", "false", "--note", "alice: no such threat"],
    );
    set(r, "alice", &["alb-04", "verified"]);
    commit(r, "alice");
    let merge = ok(git(r, &["merge", "--no-edit", "bob"]));
    let report = String::from_utf8_lossy(&merge.stderr);
    assert!(
        report.contains("claim `alb-03`: both sides changed the status"),
        "{report}"
    );
    let c = claim(r, "alb-03");
    assert_eq!(c.status, Status::False, "alice's change is newer");
    assert_eq!(c.note.as_deref(), Some("alice: no such threat"));
    let by: Vec<&str> = c.history.iter().map(|h| h.by.as_str()).collect();
    assert_eq!(by, ["bob", "alice"], "both changes kept, in time order");
    assert_eq!(claim(r, "alb-04").status, Status::Verified);
}

#[test]
fn a_malformed_side_falls_back_to_git_conflict_markers() {
    let dir = repo();
    let r = dir.path();
    let file = data_file(&r.join("claims"));
    ok(git(r, &["checkout", "-q", "-b", "bob"]));
    let text = fs::read_to_string(&file).expect("read");
    fs::write(
        &file,
        text.replacen("status: unreviewed", "status: [broken", 1),
    )
    .expect("break");
    commit(r, "bob breaks the file");
    ok(git(r, &["checkout", "-q", "main"]));
    set(r, "alice", &["alb-01", "verified"]);
    commit(r, "alice");
    let merge = git(r, &["merge", "--no-edit", "bob"]);
    assert!(!merge.status.success(), "the merge must stop for a person");
    let err = String::from_utf8_lossy(&merge.stderr);
    assert!(
        err.contains("could not merge") && err.contains("conflict markers"),
        "{err}"
    );
    let merged = fs::read_to_string(&file).expect("read");
    assert!(
        merged.contains("<<<<<<< ours") && merged.contains(">>>>>>> theirs"),
        "{merged}"
    );
    assert!(
        merged.contains("status: [broken") && merged.contains("status: verified"),
        "nothing lost"
    );
}
