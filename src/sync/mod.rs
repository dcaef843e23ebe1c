//! Several bureaus, one desk: the claims folder shared through git.
//!
//! `sync` commits the desk's changes with each reviewer as the author,
//! fetches, merges claim by claim (git runs our merge driver), checks that
//! every file the merge wrote still loads, and pushes; when someone pushed
//! first it goes round again. What cannot be merged with certainty stops
//! the sync with the merge undone and the local work kept. Nothing here
//! replicates anything itself: git does, we only decide and report.

mod commit;
mod git;
mod init;
mod summary;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use commit::{commit_local, is_claims_file, on_every_core};
pub use git::Git;
pub use init::{ATTRIBUTES, IGNORED, init};
pub use summary::{Item, items, message};

/// The git setting holding a clone's bureau (where its verdicts are made).
pub const BUREAU_KEY: &str = "claimdesk.bureau";

/// The bureau named in the repository holding `claims`, if any.
pub fn bureau_of(claims: &Path) -> Option<String> {
    // No repository, no bureau: the common case costs a look for `.git`,
    // not a git process; else one (git finds the repository itself).
    if !claims.ancestors().any(|d| d.join(".git").exists()) {
        return None;
    }
    let out = git::run_in(claims, &["config", "--get", BUREAU_KEY]).ok()?;
    let bureau = out.stdout.trim_end_matches('\n');
    (out.ok && !bureau.trim().is_empty()).then(|| bureau.to_string())
}

/// How a sync ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Local work and the remote's are both here and there.
    Synced,
    /// Nothing to send, nothing to take.
    UpToDate,
    /// The remote could not be reached: nothing changed (or, if it failed
    /// only at the push, local work is committed and merged, and goes next time).
    Offline,
    /// A change the merge driver cannot merge: the merge is undone, local
    /// work kept (committed), the conflict reported.
    Conflict,
    /// Someone kept pushing first, every attempt.
    Raced,
}

/// A commit the sync made of local work.
#[derive(Debug, Clone, Serialize)]
pub struct Commit {
    pub author: String,
    pub message: String,
    pub files: usize,
}

/// A claims file the merge could not take.
#[derive(Debug, Clone, Serialize)]
pub struct Stuck {
    pub file: String,
    pub why: String,
}

/// What a sync did, for a person (`Display`) or a script (`--json`).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub outcome: Outcome,
    pub remote: String,
    pub branch: String,
    pub commits: Vec<Commit>,
    /// Files the merge brought in from the remote.
    pub received: Vec<String>,
    /// What the merge driver decided that a person should know (the newer
    /// of two verdicts kept, say).
    pub decisions: Vec<String>,
    pub conflicts: Vec<Stuck>,
    pub pushed: bool,
    pub attempts: usize,
    pub message: String,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for c in &self.commits {
            let first = c.message.lines().next().unwrap_or_default();
            writeln!(f, "committed ({}): {first}", c.author)?;
        }
        if !self.received.is_empty() {
            writeln!(
                f,
                "received {} file(s) from {}",
                self.received.len(),
                self.remote
            )?;
        }
        for d in &self.decisions {
            writeln!(f, "merge: {d}")?;
        }
        for s in &self.conflicts {
            writeln!(f, "conflict in {}: {}", s.file, s.why)?;
        }
        writeln!(f, "{}", self.message)
    }
}

impl Report {
    /// Whether the sync went through (synced, or nothing to do).
    pub fn went_through(&self) -> bool {
        matches!(self.outcome, Outcome::Synced | Outcome::UpToDate)
    }

    /// How it went, in a line (the desk's header).
    pub fn headline(&self) -> String {
        match self.outcome {
            Outcome::Synced | Outcome::UpToDate => {
                let mut said = format!("synced with {}", self.remote);
                if !self.received.is_empty() {
                    said.push_str(&format!(", {} file(s) in", self.received.len()));
                }
                said
            }
            Outcome::Offline => format!("{} unreachable", self.remote),
            Outcome::Conflict => {
                let files: Vec<&str> = self.conflicts.iter().map(|c| c.file.as_str()).collect();
                format!("conflict in {}: not merged", files.join(", "))
            }
            Outcome::Raced => format!("{} kept moving; will retry", self.remote),
        }
    }
}

/// How to sync.
#[derive(Debug, Clone)]
pub struct Options {
    pub remote: String,
    /// Tries when someone pushed first.
    pub attempts: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            remote: "origin".into(),
            attempts: 5,
        }
    }
}

/// Why a sync could not even start (not set up, a merge half done): the
/// message says what to do.
pub type SetupError = String;

/// Sync the claims folder `claims` with `opts.remote`.
pub fn sync(claims: &Path, opts: &Options) -> Result<Report, SetupError> {
    let ready = ready(claims)?;
    let report = sync_in(&ready, claims, opts);
    ready.repo.housekeep();
    report
}

fn sync_in(ready: &Ready, claims: &Path, opts: &Options) -> Result<Report, SetupError> {
    let (repo, branch, claims_rel) = (&ready.repo, ready.branch.clone(), &ready.claims_rel);
    let mut report = Report {
        outcome: Outcome::UpToDate,
        remote: opts.remote.clone(),
        branch: branch.clone(),
        commits: Vec::new(),
        received: Vec::new(),
        decisions: Vec::new(),
        conflicts: Vec::new(),
        pushed: false,
        attempts: 0,
        message: String::new(),
    };
    for attempt in 1..=opts.attempts.max(1) {
        report.attempts = attempt;
        // The fetch (the network) and the local commit (parsing the
        // changed files) at once: at a hundred changed articles each is a
        // few hundred milliseconds. A fetch that fails takes the commit
        // back, so an unreachable remote leaves everything as it was.
        let before = repo.run(&["rev-parse", "--quiet", "--verify", "HEAD"])?;
        let (fetched, committed) = std::thread::scope(|s| {
            let fetch = s.spawn(|| repo.run(&["fetch", "--quiet", &opts.remote]));
            let committed = commit_local(repo, claims, claims_rel);
            let fetched = fetch
                .join()
                .unwrap_or_else(|_| Err("the fetch failed to run".to_string()));
            (fetched, committed)
        });
        let fetched = fetched?;
        if !fetched.ok {
            if let Ok(made) = &committed
                && !made.is_empty()
            {
                take_back(repo, &before)?;
            }
            report.outcome = Outcome::Offline;
            report.message = format!(
                "cannot reach {}: {}; nothing was changed, sync again when it is back",
                opts.remote,
                fetched.why()
            );
            return Ok(report);
        }
        report.commits.extend(committed?);
        let upstream = format!("refs/remotes/{}/{branch}", opts.remote);
        let there = repo.run(&["rev-parse", "--quiet", "--verify", &upstream])?;
        let has_upstream = there.ok;
        let stopped = has_upstream && !merge(repo, claims, claims_rel, &upstream, &mut report)?;
        if stopped {
            return Ok(report);
        }
        let head = repo.ok(&["rev-parse", "HEAD"]).unwrap_or_default();
        if has_upstream && head == there.stdout {
            report.outcome = if report.received.is_empty() && report.commits.is_empty() {
                Outcome::UpToDate
            } else {
                Outcome::Synced
            };
            report.message = if report.received.is_empty() {
                format!("up to date with {}/{branch}", opts.remote)
            } else {
                format!("took {}/{branch}; nothing to send", opts.remote)
            };
            return Ok(report);
        }
        let refspec = format!("HEAD:refs/heads/{branch}");
        let pushed = repo.run(&["push", "--quiet", &opts.remote, &refspec])?;
        if pushed.ok {
            report.pushed = true;
            report.outcome = Outcome::Synced;
            report.message = format!("synced with {}/{branch}", opts.remote);
            return Ok(report);
        }
        if !raced(&pushed.stderr) {
            report.outcome = Outcome::Offline;
            report.message = format!(
                "cannot push to {}: {}; local work is committed here and goes with the next sync",
                opts.remote,
                pushed.why()
            );
            return Ok(report);
        }
        // Someone pushed first: take theirs and try again, a little later
        // each time so two bureaus do not keep colliding in step.
        std::thread::sleep(Duration::from_millis(50 * attempt as u64 + jitter()));
    }
    report.outcome = Outcome::Raced;
    report.message = format!(
        "{} kept moving ahead: pushed first by others {} times; local work is committed \
         and merged here, sync again",
        opts.remote, report.attempts
    );
    Ok(report)
}

/// Undo this sync's local commits (the files stay as they are, changed
/// and not committed): HEAD back where it was, or no commit at all on a
/// branch that had none.
fn take_back(repo: &Git, before: &git::Output) -> Result<(), String> {
    if before.ok {
        repo.ok(&["reset", "--quiet", "--mixed", before.stdout.trim()])?;
    } else {
        repo.ok(&["update-ref", "-d", "HEAD"])?;
        repo.ok(&["read-tree", "--empty"])?;
    }
    Ok(())
}

/// Whether the claims folder `claims` is ready to sync (`claimdesk init`
/// was run, no merge half done): what to do if not.
pub fn check_ready(claims: &Path) -> Result<(), SetupError> {
    ready(claims).map(|_| ())
}

/// A repository ready to sync: where it is, where the claims folder is in
/// it, and the branch it is on.
struct Ready {
    repo: Git,
    claims_rel: String,
    branch: String,
}

/// The repository holding `claims`, once it is shown to be ready to sync.
/// (Two git processes: a sync runs every minute on a server.)
fn ready(claims: &Path) -> Result<Ready, SetupError> {
    let not_set_up = || {
        format!(
            "{} is not in a git repository; run `claimdesk -C {} init` first",
            claims.display(),
            claims.display()
        )
    };
    let probe = git::run_in(
        claims,
        &[
            "rev-parse",
            "--show-toplevel",
            "--git-path",
            "MERGE_HEAD",
            "--show-prefix",
        ],
    )
    .map_err(|e| git::not_started(&e))?;
    if !probe.ok {
        return Err(not_set_up());
    }
    let lines: Vec<&str> = probe.stdout.split('\n').collect();
    let (root, merge_head) = match lines.as_slice() {
        [root, merge_head, ..] => (PathBuf::from(root), *merge_head),
        _ => return Err(not_set_up()),
    };
    // Printed last: empty at the root of the work tree.
    let claims_rel = lines.get(2).copied().unwrap_or_default().to_string();
    // Works on a branch with no commit yet (the first sync of a desk).
    let head = git::run_in(claims, &["symbolic-ref", "--quiet", "HEAD"])
        .map_err(|e| git::not_started(&e))?
        .stdout;
    let head = head.trim_end();
    let repo = Git::at(root.clone());
    let settings = repo.run(&[
        "config",
        "-z",
        "--get-regexp",
        r"^(merge\.claimdesk\.driver|user\.name|user\.email)$",
    ])?;
    let has = |key: &str| {
        settings
            .stdout
            .split('\0')
            .any(|kv| kv.split_once('\n').is_some_and(|(k, _)| k == key))
    };
    if !has("merge.claimdesk.driver") {
        return Err(format!(
            "the merge driver is not set up in {}; run `claimdesk -C {} init` first",
            root.display(),
            claims.display()
        ));
    }
    if root.join(merge_head).exists() || Path::new(merge_head).exists() {
        return Err(format!(
            "a merge is half done in {}: finish it (`git commit`) or undo it \
             (`git merge --abort`), then sync again",
            root.display()
        ));
    }
    let branch = head
        .strip_prefix("refs/heads/")
        .ok_or_else(|| {
            "the repository is not on a branch (detached HEAD); check out a branch and sync again"
                .to_string()
        })?
        .to_string();
    // A clone with no name set commits as the desk rather than failing.
    let mut repo = repo;
    if !has("user.name") {
        repo = repo.with_env("GIT_COMMITTER_NAME", "claimdesk sync");
        repo = repo.with_env("GIT_AUTHOR_NAME", "claimdesk sync");
    }
    if !has("user.email") {
        repo = repo.with_env("GIT_COMMITTER_EMAIL", "sync@claimdesk.invalid");
        repo = repo.with_env("GIT_AUTHOR_EMAIL", "sync@claimdesk.invalid");
    }
    Ok(Ready {
        repo,
        claims_rel,
        branch,
    })
}

/// A few milliseconds that differ between processes.
fn jitter() -> u64 {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    u64::from((t ^ std::process::id()) % 100)
}

/// Whether a refused push was refused because the remote moved on.
fn raced(stderr: &str) -> bool {
    [
        "rejected",
        "fetch first",
        "non-fast-forward",
        "failed to update ref",
        "cannot lock ref",
    ]
    .iter()
    .any(|w| stderr.contains(w))
}

/// Merge `upstream` into the work tree. The files it will write are
/// locked the way the desk locks a file it saves, so no verdict saved in
/// the meantime is overwritten; what the merge wrote must load, or it is
/// undone. Returns whether the sync goes on.
fn merge(
    repo: &Git,
    claims: &Path,
    rel: &str,
    upstream: &str,
    report: &mut Report,
) -> Result<bool, String> {
    let incoming = repo.ok(&["diff", "--name-only", "-z", &format!("HEAD...{upstream}")])?;
    let incoming: Vec<String> = incoming
        .split('\0')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    if incoming.is_empty() {
        return Ok(true);
    }
    let in_claims = |p: &String| rel.is_empty() || p.starts_with(rel);
    let on_disk = |p: &str| claims.join(p.strip_prefix(rel).unwrap_or(p));
    let mut locks = Vec::new();
    for p in incoming
        .iter()
        .filter(|p| in_claims(p) && is_claims_file(p))
    {
        let path = on_disk(p);
        locks.push(
            crate::store::lock_exclusive(&path)
                .map_err(|e| format!("cannot lock {}: {e}", path.display()))?,
        );
    }
    // Saved between the first commit and the locks: committed too.
    report.commits.extend(commit_local(repo, claims, rel)?);
    let message = format!(
        "claimdesk sync: merge {}",
        upstream.trim_start_matches("refs/remotes/")
    );
    let out = repo.run(&[
        "merge",
        "--no-edit",
        "--no-verify",
        "-m",
        &message,
        upstream,
    ])?;
    report.decisions.extend(driver_said(&out.stderr));
    if !out.ok {
        let unmerged = repo
            .ok(&["diff", "--name-only", "--diff-filter=U"])
            .unwrap_or_default();
        let files: Vec<&str> = unmerged.lines().filter(|l| !l.is_empty()).collect();
        let why_of = |f: &str| {
            let said: Vec<&String> = report.decisions.iter().filter(|d| d.contains(f)).collect();
            said.last().map_or_else(
                || "both sides changed the same lines".to_string(),
                |d| d.to_string(),
            )
        };
        let stuck: Vec<Stuck> = if files.is_empty() {
            vec![Stuck {
                file: String::new(),
                why: out.why(),
            }]
        } else {
            files
                .iter()
                .map(|f| Stuck {
                    file: f.to_string(),
                    why: why_of(f),
                })
                .collect()
        };
        let _ = repo.run(&["merge", "--abort"]);
        report.conflicts = stuck;
        report.outcome = Outcome::Conflict;
        report.message = format!(
            "not merged: a change here and one on {upstream} cannot both be kept (see above); \
             the merge is undone and your work is committed here; settle it with \
             `git merge {}` by hand, then sync again",
            upstream.trim_start_matches("refs/remotes/")
        );
        return Ok(false);
    }
    let merged: Vec<&String> = incoming
        .iter()
        .filter(|p| in_claims(p) && is_claims_file(p))
        .collect();
    let broken: Vec<Stuck> = on_every_core(&merged, |p| {
        let path = on_disk(p);
        match crate::store::load_file(&path, None) {
            Err(problems) if path.exists() => Some(Stuck {
                file: p.to_string(),
                why: problems.to_string(),
            }),
            _ => None,
        }
    })
    .into_iter()
    .flatten()
    .collect();
    if !broken.is_empty() {
        let _ = repo.run(&["reset", "--merge", "ORIG_HEAD"]);
        report.conflicts = broken;
        report.outcome = Outcome::Conflict;
        report.message = "not merged: the merge would leave claims files the desk cannot load; \
             it is undone and your work is committed here"
            .to_string();
        return Ok(false);
    }
    drop(locks);
    report
        .received
        .extend(incoming.into_iter().filter(in_claims));
    Ok(true)
}

/// The merge driver's reports, from the merge's error stream.
fn driver_said(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("claimdesk merge: "))
        .map(str::to_string)
        .chain(
            stderr
                .lines()
                .filter(|l| l.starts_with("claimdesk: merge-driver"))
                .map(str::to_string),
        )
        .collect()
}
