//! Committing the desk's changes: one commit per group of files changed
//! by the same reviewers, each reviewer its author, the message saying
//! what they did (read from the files' new history entries).

use std::path::Path;

use super::git::Git;
use super::{Commit, Item, items, message};

/// The paths (from the work tree's root) git sees changed under `rel`.
fn changed_paths(repo: &Git, rel: &str) -> Result<Vec<String>, String> {
    let pathspec = if rel.is_empty() { "." } else { rel };
    let out = repo.ok(&[
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--no-renames",
        "--",
        pathspec,
    ])?;
    Ok(out
        .split('\0')
        .filter(|e| e.len() > 3)
        .map(|e| e[3..].to_string())
        .collect())
}

/// Whether `path` (from the root) is an article's claims file.
pub(super) fn is_claims_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.ends_with(".yaml") && !name.starts_with('.') && name != "claimdesk.yaml"
}

/// Commit what changed under the claims folder: one commit per group of
/// files changed by the same reviewers, each reviewer its author (the
/// others of a shared file as co-authors). A claims file that does not
/// load is never committed: the sync stops and names it.
pub(super) fn commit_local(repo: &Git, claims: &Path, rel: &str) -> Result<Vec<Commit>, String> {
    let paths = changed_paths(repo, rel)?;
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    let mut groups: std::collections::BTreeMap<Vec<String>, (Vec<String>, Vec<Item>)> =
        Default::default();
    let found = changes_in(repo, claims, rel, &paths)?;
    for (p, mut found) in paths.iter().zip(found) {
        let mut who: Vec<String> = found.iter().map(|i| i.by.clone()).collect();
        who.sort();
        who.dedup();
        let group = groups.entry(who).or_default();
        group.0.push(p.clone());
        group.1.append(&mut found);
    }
    let mut made = Vec::new();
    for (who, (files, list)) in groups {
        let mut add = vec!["add", "--all", "--"];
        add.extend(files.iter().map(String::as_str));
        repo.ok(&add)?;
        let mut msg = message(&list);
        let named: Vec<&String> = who.iter().filter(|w| !w.is_empty()).collect();
        let mut env: Vec<(&str, String)> = Vec::new();
        if let Some(first) = named.first() {
            env.push(("GIT_AUTHOR_NAME", (*first).clone()));
            env.push(("GIT_AUTHOR_EMAIL", email_of(first)));
            if named.len() > 1 {
                msg.push_str(if msg.contains('\n') { "\n" } else { "\n\n" });
                for w in &named[1..] {
                    msg.push_str(&format!("Co-authored-by: {w} <{}>\n", email_of(w)));
                }
            }
        }
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let out = repo.run_with(
            &["commit", "--quiet", "--no-verify", "-m", &msg, "--"],
            &env,
        )?;
        // `--` with no paths commits the index: only this group was added.
        if !out.ok {
            return Err(format!("git commit: {}", out.why()));
        }
        made.push(Commit {
            author: named
                .first()
                .map_or_else(|| "by hand".to_string(), |s| s.to_string()),
            message: msg,
            files: files.len(),
        });
    }
    Ok(made)
}

/// A reviewer's name as an address git accepts (they have no mail here).
fn email_of(name: &str) -> String {
    let local: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '.'
            }
        })
        .collect();
    let local = local.trim_matches('.');
    format!(
        "{}@claimdesk.invalid",
        if local.is_empty() { "reviewer" } else { local }
    )
}

/// What changed in each of `paths` (from the root) since the last commit:
/// the old versions read through one git process, the files parsed on
/// every core (a sync of a hundred articles is mostly this). A claims
/// file that does not load stops the sync.
fn changes_in(
    repo: &Git,
    claims: &Path,
    rel: &str,
    paths: &[String],
) -> Result<Vec<Vec<Item>>, String> {
    let specs: Vec<String> = paths.iter().map(|p| format!("HEAD:{p}")).collect();
    let old = repo.cat_files(&specs)?;
    let work: Vec<(&String, Option<String>)> = paths.iter().zip(old).collect();
    let results = on_every_core(&work, |(p, old)| file_items(claims, rel, p, old.as_deref()));
    results.into_iter().collect()
}

/// `f` of each of `items`, in order, spread over the machine's cores
/// (parsing claims files is most of a sync's own work).
pub(super) fn on_every_core<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let f = &f;
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        // A panic in a thread is a bug: it goes on as if unthreaded.
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// The changes in `path` (from the root) since the last commit, whose
/// text then was `old`, after checking that it loads.
fn file_items(
    claims: &Path,
    rel: &str,
    path: &str,
    old: Option<&str>,
) -> Result<Vec<Item>, String> {
    let name = || path.rsplit('/').next().unwrap_or(path).to_string();
    if !is_claims_file(path) {
        return Ok(vec![Item {
            by: String::new(),
            claim: name(),
            what: "edited".into(),
        }]);
    }
    let on_disk = claims.join(path.strip_prefix(rel).unwrap_or(path));
    let new = match std::fs::read_to_string(&on_disk) {
        Ok(text) => crate::store::parse_document(&on_disk, &text, None).map_err(|p| {
            format!(
                "{p}\nnot synced: {} does not load; fix it (`claimdesk check`) and sync again",
                on_disk.display()
            )
        })?,
        // Deleted: the commit says so.
        Err(_) => {
            return Ok(vec![Item {
                by: String::new(),
                claim: name(),
                what: "removed".into(),
            }]);
        }
    };
    let old = old.and_then(|t| crate::store::parse_document(Path::new(path), t, None).ok());
    Ok(items(old.as_ref(), &new))
}
