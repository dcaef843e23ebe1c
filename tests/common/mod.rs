//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod desk;
pub mod pty;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const SHIPPED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/claims");
pub const SHIPPED_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/claims/000_albania-iran-cyberattacks.yaml"
);

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_claimdesk"))
}

/// Every file under `dir`, at any depth.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A temporary copy of the shipped claims directory.
pub fn copy_of_claims() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in fs::read_dir(SHIPPED).expect("claims dir") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        if name.to_string_lossy().ends_with(".yaml") {
            fs::copy(entry.path(), dir.path().join(name)).expect("copy");
        }
    }
    dir
}

pub fn data_file(dir: &Path) -> PathBuf {
    dir.join("000_albania-iran-cyberattacks.yaml")
}

/// Run the binary on a claims directory with a fixed reviewer.
pub fn claimdesk(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("CLAIMDESK_REVIEWER", "tester")
        .env("CLAIMDESK_NO_CACHE", "1")
        .env_remove("CLAIMDESK_DIR")
        .output()
        .expect("run claimdesk")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Claim `id` as it is on disk now (the directory must load cleanly).
pub fn saved_claim(dir: &Path, id: &str) -> claimdesk::model::Claim {
    let desk = claimdesk::store::Desk::load(dir)
        .unwrap_or_else(|p| panic!("{} does not load:\n{p}", dir.display()));
    let at = desk
        .find(&claimdesk::model::ClaimId(id.into()))
        .unwrap_or_else(|| panic!("no claim {id}"));
    desk.get(at)
        .cloned()
        .unwrap_or_else(|| panic!("no claim {id}"))
}

/// Git in `dir`, as a person at this machine runs it, with a fixed name
/// for the commits a test makes itself (a bare container has none set).
pub fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "setup")
        .env("GIT_AUTHOR_EMAIL", "setup@example.org")
        .env("GIT_COMMITTER_NAME", "setup")
        .env("GIT_COMMITTER_EMAIL", "setup@example.org")
        .output()
        .expect("git runs")
}

/// Whether a test must be skipped for want of `tools` on this machine (a
/// bare container has no tmux or ssh): says so loudly, on stderr, naming
/// the test and the tool, so a skip is never mistaken for a pass.
#[allow(dead_code)] // not every test binary needs outside tools
pub fn lacks(test: &str, tools: &[&str]) -> bool {
    let missing: Vec<&str> = tools
        .iter()
        .copied()
        .filter(|t| {
            std::process::Command::new(t)
                .arg("-V")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .is_err()
        })
        .collect();
    if missing.is_empty() {
        return false;
    }
    // Straight to stderr: the test harness captures `eprintln!` of a test
    // that passes, and a skip must show.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {} not installed (Debian: apt install {})",
        missing.join(", "),
        {
            let mut packages: Vec<&str> = (missing.iter())
                .map(|t| match *t {
                    "ssh" | "ssh-keygen" => "openssh-client",
                    other => other,
                })
                .collect();
            packages.dedup();
            packages.join(" ")
        }
    );
    true
}
