//! The git merge driver, with real git in temporary repositories.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use claimdesk::model::{ClaimId, Status};
use claimdesk::store::Desk;
use common::*;

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
    let driver = format!("{} merge-driver %O %A %B %P", bin().display());
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
    if lacks("different_claims_on_two_branches_merge_cleanly", &["git"]) {
        return;
    }
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
    if lacks(
        "the_same_claim_changed_on_both_sides_keeps_the_newer_and_both_histories",
        &["git"],
    ) {
        return;
    }
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
    if lacks(
        "a_malformed_side_falls_back_to_git_conflict_markers",
        &["git"],
    ) {
        return;
    }
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

/// A change with a fixed time, as if made in that second.
fn mark_at(repo: &Path, id: &str, status: Status, by: &str, at: &str, note: &str) {
    use claimdesk::store::{Change, Edit};
    let mut desk = Desk::load(&repo.join("claims")).expect("loads");
    let change = Change {
        claim: ClaimId(id.into()),
        by: by.into(),
        at: at.into(),
        edit: Edit::Status {
            status,
            note: Some(note.into()),
            evidence: vec![format!("https://example.org/{by}")],
        },
        seen: None,
    };
    desk.apply(&change).expect("saves");
}

/// A second working copy of `repo`, sharing nothing with it.
fn copy_repo(repo: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new("cp")
        .arg("-a")
        .arg(format!("{}/.", repo.display()))
        .arg(dir.path())
        .output()
        .expect("cp");
    assert!(out.status.success());
    dir
}

#[test]
fn a_branch_that_breaks_the_file_never_merges_cleanly_either_way() {
    if lacks(
        "a_branch_that_breaks_the_file_never_merges_cleanly_either_way",
        &["git"],
    ) {
        return;
    }
    let dir = repo();
    let r = dir.path();
    let file = data_file(&r.join("claims"));
    ok(git(r, &["checkout", "-q", "-b", "bob"]));
    // Bob breaks the YAML far from anything alice touches.
    let text = fs::read_to_string(&file).expect("read");
    let broken = text.replacen("  language: ar\n", "  language: [ar\n", 1);
    assert_ne!(broken, text);
    fs::write(&file, broken).expect("break");
    commit(r, "bob breaks the article");
    ok(git(r, &["checkout", "-q", "main"]));
    set(r, "alice", &["alb-30", "verified"]);
    commit(r, "alice");
    let other = copy_repo(r);
    for (repo, into, from) in [(r, "main", "bob"), (other.path(), "bob", "main")] {
        ok(git(repo, &["checkout", "-q", into]));
        let head = git(repo, &["rev-parse", "HEAD"]).stdout;
        let merge = git(repo, &["merge", "--no-edit", from]);
        assert!(
            !merge.status.success(),
            "merging {from} into {into} must stop for a person"
        );
        let err = String::from_utf8_lossy(&merge.stderr);
        assert!(err.contains("does not load"), "{err}");
        assert_eq!(
            git(repo, &["rev-parse", "HEAD"]).stdout,
            head,
            "nothing committed"
        );
        let status =
            String::from_utf8_lossy(&git(repo, &["status", "--porcelain"]).stdout).into_owned();
        assert!(
            status.contains("UU claims/"),
            "git shows the conflict: {status}"
        );
    }
}

#[test]
fn both_sides_changing_one_claim_in_one_second_merge_the_same_either_way() {
    if lacks(
        "both_sides_changing_one_claim_in_one_second_merge_the_same_either_way",
        &["git"],
    ) {
        return;
    }
    let dir = repo();
    let r = dir.path();
    let at = "2026-11-30T10:00:00Z";
    ok(git(r, &["checkout", "-q", "-b", "bob"]));
    mark_at(
        r,
        "alb-03",
        Status::Misleading,
        "bob",
        at,
        "bob: overstated",
    );
    mark_at(r, "alb-09", Status::Verified, "bob", at, "bob: fine");
    commit(r, "bob");
    ok(git(r, &["checkout", "-q", "main"]));
    mark_at(
        r,
        "alb-03",
        Status::False,
        "alice",
        at,
        "alice: no such threat",
    );
    mark_at(r, "alb-12", Status::Verified, "alice", at, "alice: fine");
    commit(r, "alice");
    let other = copy_repo(r);
    ok(git(r, &["merge", "-q", "--no-edit", "bob"]));
    ok(git(other.path(), &["checkout", "-q", "bob"]));
    ok(git(other.path(), &["merge", "-q", "--no-edit", "main"]));
    let one = fs::read_to_string(data_file(&r.join("claims"))).expect("read");
    let two = fs::read_to_string(data_file(&other.path().join("claims"))).expect("read");
    assert!(one == two, "main <- bob and bob <- main differ");
    // The tie goes the same way both times (same second: by reviewer), and
    // both changes stay in history.
    let c = claim(r, "alb-03");
    assert_eq!(
        c.status,
        Status::Misleading,
        "bob orders after alice in the same second"
    );
    assert_eq!(c.history.len(), 2);
    assert_eq!(c.evidence.len(), 2, "evidence is unioned");
    assert_eq!(claim(r, "alb-09").status, Status::Verified);
    assert_eq!(claim(r, "alb-12").status, Status::Verified);
}

/// A claim moved to another file on one branch and changed in place on the
/// other: the merge stops for a person, naming both files, and never
/// leaves a tree that holds the id twice (which the desk refuses to load).
#[test]
fn a_claim_moved_on_one_side_and_changed_on_the_other_is_a_conflict() {
    if lacks(
        "a_claim_moved_on_one_side_and_changed_on_the_other_is_a_conflict",
        &["git"],
    ) {
        return;
    }
    let dir = repo();
    let r = dir.path();
    let claims = r.join("claims");
    let shipped = claimdesk::store::load_file(&data_file(&claims), None).expect("loads");
    // A second article file to move alb-54 into.
    let mut other = shipped.clone();
    other.article.id = "other".into();
    other.claims.retain(|c| c.id.0 == "alb-01");
    other.claims[0].id = ClaimId("other-01".into());
    fs::write(
        claims.join("other.yaml"),
        claimdesk::store::render(&other).expect("render"),
    )
    .expect("write");
    ok(git(r, &["add", "."]));
    commit(r, "a second file");
    // bob moves alb-54 to other.yaml.
    ok(git(r, &["checkout", "-q", "-b", "bob"]));
    let mut a = shipped.clone();
    let moved = a.claims.pop().expect("alb-54");
    assert_eq!(moved.id.0, "alb-54");
    let mut o = other.clone();
    o.claims.push(moved);
    o.sources = shipped.sources.clone();
    fs::write(data_file(&claims), claimdesk::store::render(&a).expect("r")).expect("w");
    fs::write(
        claims.join("other.yaml"),
        claimdesk::store::render(&o).expect("r"),
    )
    .expect("w");
    commit(r, "bob moves alb-54");
    // alice changes it where it was.
    ok(git(r, &["checkout", "-q", "main"]));
    set(
        r,
        "alice",
        &["alb-54", "verified", "--note", "alice checked"],
    );
    commit(r, "alice");
    let merge = git(r, &["merge", "--no-edit", "bob"]);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&merge.stdout),
        String::from_utf8_lossy(&merge.stderr)
    );
    assert!(!merge.status.success(), "the merge must stop: {said}");
    assert!(
        said.contains("alb-54") && said.contains("other.yaml"),
        "{said}"
    );
    // Nothing was committed: the desk as it was before the merge is one
    // `git merge --abort` away, and it loads.
    ok(git(r, &["merge", "--abort"]));
    assert_eq!(claim(r, "alb-54").status, Status::Verified);
}
