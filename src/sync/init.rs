//! `claimdesk init`: make the claims folder's repository ready to sync.
//! Every step looks first and says whether it did something, so running it
//! again (or on a clone someone else set up) changes nothing.

use std::path::Path;

use super::git::{self, Git};

/// Claims files merge claim by claim; the desk's settings merge line by
/// line (two bureaus editing different settings is no conflict). Anchored
/// to the claims folder, wherever the repository's root is.
pub const ATTRIBUTES: [&str; 2] = ["/*.yaml merge=claimdesk", "/claimdesk.yaml merge"];

/// What the desk writes beside the claims and nobody should commit: the
/// writers' lock files and an interrupted write's temporary file.
pub const IGNORED: [&str; 2] = [".*.lock", ".claimdesk-*.tmp"];

/// Make `claims` (a folder) ready: a repository (the one it is in, or a
/// new one in it), the attributes, the ignore list, the merge driver run
/// by this very binary, and this clone's bureau name when given. Returns
/// one line per step.
pub fn init(
    claims: &Path,
    bureau: Option<&str>,
    remote: Option<&str>,
) -> Result<Vec<String>, String> {
    if !claims.is_dir() {
        return Err(format!(
            "{} is not a folder; give the claims folder with -C DIR",
            claims.display()
        ));
    }
    let mut said = Vec::new();
    let repo = match Git::find(claims)? {
        Some(g) => {
            said.push(format!("using the git repository at {}", g.root.display()));
            g
        }
        None => {
            let out =
                git::run_in(claims, &["init", "--quiet"]).map_err(|e| git::not_started(&e))?;
            if !out.ok {
                return Err(format!(
                    "cannot make a git repository in {}: {}",
                    claims.display(),
                    out.why()
                ));
            }
            said.push(format!("made a git repository in {}", claims.display()));
            Git::find(claims)?.ok_or("git init made no repository")?
        }
    };
    said.push(add_lines(
        &claims.join(".gitattributes"),
        &ATTRIBUTES,
        "claims files merge claim by claim, claimdesk.yaml line by line",
    )?);
    said.push(add_lines(
        &claims.join(".gitignore"),
        &IGNORED,
        "lock and temporary files stay out of commits",
    )?);
    let exe = std::env::current_exe()
        .map_err(|e| format!("cannot tell where this claimdesk binary is: {e}"))?;
    let driver = format!(
        "{} merge-driver %O %A %B %P",
        shell_quote(&exe.to_string_lossy())
    );
    said.push(set_config(
        &repo,
        "merge.claimdesk.name",
        "claimdesk claim-by-claim merge",
    )?);
    said.push(set_config(&repo, "merge.claimdesk.driver", &driver)?);
    if let Some(b) = bureau {
        let b = b.trim();
        if b.is_empty() || b.chars().any(char::is_control) {
            return Err("--bureau needs a name (a city, a desk), on one line".to_string());
        }
        said.push(set_config(&repo, super::BUREAU_KEY, b)?);
    }
    if let Some(url) = remote {
        let had = repo.config("remote.origin.url");
        if had.as_deref() == Some(url) {
            said.push("remote origin already set".to_string());
        } else {
            let verb = if had.is_some() { "set-url" } else { "add" };
            repo.ok(&["remote", verb, "origin", url])?;
            said.push(format!("remote origin = {url}"));
        }
    }
    Ok(said)
}

/// Append the `lines` missing from the file at `path`; say what was done.
fn add_lines(path: &Path, lines: &[&str], why: &str) -> Result<String, String> {
    let had = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let missing: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !had.lines().any(|h| h.trim() == *l))
        .collect();
    if missing.is_empty() {
        return Ok(format!("{} already set ({why})", path.display()));
    }
    let mut text = had.clone();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for l in &missing {
        text.push_str(l);
        text.push('\n');
    }
    crate::store::write_file(path, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(format!("wrote {} ({why})", path.display()))
}

fn set_config(repo: &Git, key: &str, value: &str) -> Result<String, String> {
    if repo.config(key).as_deref() == Some(value) {
        return Ok(format!("git config {key} already set"));
    }
    repo.ok(&["config", key, value])?;
    Ok(format!("git config {key} = {value}"))
}

/// `s` as one word for the shell git runs the merge driver with.
fn shell_quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
