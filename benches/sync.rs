//! `cargo bench --bench sync [-- CLAIMS...]`: how long `claimdesk sync`
//! takes on a large desk, printed next to its budget (under 2 s at a
//! million claims with 100 claims changed on each side).
//!
//! Two bureaus share a newsroom-shaped desk through a bare repository on
//! this machine (what a git host adds is the network, not this). Abu Dhabi
//! changes 100 claims and syncs; Tirana changes 100 others, half of them in
//! files Abu Dhabi also changed (git runs the claim-by-claim merge driver
//! on those), and its sync (commit with authors, fetch, merge, check the
//! merged files load, push) is the figure. Setting up a big desk under git
//! takes minutes: it is made once and not counted. Default: 100,000 claims.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use claimdesk::model::{ClaimId, Status};
use claimdesk::store::{Change, Edit, load_file, now_rfc3339, save};
use claimdesk::synth::{Shape, write_desk_shaped};

const PER_FILE: usize = 100;
const CHANGED: usize = 100;
const BUDGET_S: f64 = 2.0;

fn bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_claimdesk"))
}

fn run(dir: &Path, program: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new(program)
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "bench")
        .env("GIT_AUTHOR_EMAIL", "bench@example.org")
        .env("GIT_COMMITTER_NAME", "bench")
        .env("GIT_COMMITTER_EMAIL", "bench@example.org")
        .output()
        .map_err(|e| format!("{} in {}: {e}", program.display(), dir.display()))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{} {args:?}: {}",
            program.display(),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    run(dir, Path::new("git"), args)
}

/// Set claim `k` of file `f` of `claims` to `status`, as a reviewer's save.
fn change(claims: &Path, f: usize, k: usize, status: Status, by: &str) -> Result<(), String> {
    let path = file_of(claims, f)?;
    let doc = load_file(&path, None).map_err(|p| p.to_string())?;
    let id: ClaimId = doc.claims[k % doc.claims.len()].id.clone();
    let change = Change {
        claim: id,
        by: by.to_string(),
        at: now_rfc3339(),
        edit: Edit::Status {
            status,
            note: None,
            evidence: Vec::new(),
        },
        seen: None,
    };
    save(&path, &Default::default(), &change, &mut |_| {})
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The `f`th claims file of `claims`, in name order.
fn file_of(claims: &Path, f: usize) -> Result<PathBuf, String> {
    let files = claimdesk::store::claims_files_in(claims).map_err(|p| p.to_string())?;
    files.get(f).cloned().ok_or_else(|| format!("no file {f}"))
}

fn measure(claims: usize) -> Result<(), String> {
    let files = claims.div_ceil(PER_FILE);
    println!("sync, {claims} claims in {files} files, {CHANGED} changed on each side");
    let root = tempfile::tempdir().map_err(|e| e.to_string())?;
    let r = root.path();
    let setup = Instant::now();
    let tirana = r.join("tirana");
    let claims_a = tirana.join("claims");
    std::fs::create_dir_all(&claims_a).map_err(|e| e.to_string())?;
    write_desk_shaped(&claims_a, files, PER_FILE, 42, Shape::Newsroom)
        .map_err(|e| e.to_string())?;
    git(r, &["init", "--quiet", "--bare", "remote.git"])?;
    git(
        &r.join("remote.git"),
        &["symbolic-ref", "HEAD", "refs/heads/main"],
    )?;
    git(&tirana, &["init", "--quiet"])?;
    git(&tirana, &["symbolic-ref", "HEAD", "refs/heads/main"])?;
    run(&claims_a, bin(), &["-C", ".", "--bureau", "Tirana", "init"])?;
    git(&tirana, &["add", "-A"])?;
    git(&tirana, &["commit", "--quiet", "-m", "the desk"])?;
    git(&tirana, &["remote", "add", "origin", "../remote.git"])?;
    git(&tirana, &["push", "--quiet", "origin", "main"])?;
    git(r, &["clone", "--quiet", "remote.git", "abudhabi"])?;
    let claims_b = r.join("abudhabi/claims");
    run(
        &claims_b,
        bin(),
        &["-C", ".", "--bureau", "Abu Dhabi", "init"],
    )?;
    println!(
        "  (set up in {:.0} s, not counted)",
        setup.elapsed().as_secs_f64()
    );

    // Abu Dhabi: 100 claims in 100 files, every other one a file Tirana
    // changes too.
    let step = (files / CHANGED).max(1);
    for i in 0..CHANGED {
        change(&claims_b, (i * step) % files, 1, Status::False, "bob")?;
    }
    let t = Instant::now();
    run(&claims_b, bin(), &["-C", ".", "sync"])?;
    report("sync, 100 changes out", t.elapsed().as_secs_f64());
    for i in 0..CHANGED {
        let f = if i % 2 == 0 {
            i * step
        } else {
            i * step + step / 2
        };
        change(&claims_a, f % files, 2, Status::Verified, "alice")?;
    }
    let t = Instant::now();
    let said = run(&claims_a, bin(), &["-C", ".", "sync", "--json"])?;
    report(
        "sync, 100 in, 100 out, 50 merged",
        t.elapsed().as_secs_f64(),
    );
    let outcome = serde_json::from_str::<serde_json::Value>(&said)
        .ok()
        .and_then(|v| v["outcome"].as_str().map(str::to_string));
    if outcome.as_deref() != Some("synced") {
        return Err(format!("the sync did not go through: {said}"));
    }
    let t = Instant::now();
    run(&claims_a, bin(), &["-C", ".", "sync"])?;
    report("sync with nothing to do", t.elapsed().as_secs_f64());
    if std::env::var_os("CLAIMDESK_BENCH_KEEP").is_some() {
        println!("  (kept in {})", root.keep().display());
    }
    Ok(())
}

fn report(name: &str, seconds: f64) {
    let verdict = if seconds <= BUDGET_S { "ok" } else { "OVER" };
    println!("  {name:<36} {seconds:>8.2} s   budget {BUDGET_S} s: {verdict}");
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![100_000]
    } else {
        sizes
    };
    if Command::new("git").arg("--version").output().is_err() {
        println!("sync bench SKIPPED: git is not installed");
        return;
    }
    for n in sizes {
        if let Err(e) = measure(n) {
            println!("  sync bench failed: {e}");
        }
    }
}
