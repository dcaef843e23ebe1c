//! A three-way merge of claims files, claim by claim, for git's merge driver.
//!
//! Reviewers on different machines share claims through git. Line-based
//! merging conflicts whenever two reviewers touch neighbouring claims, and
//! can produce a file that parses but mixes two claims' history. Here the
//! unit is the claim: histories are unioned in time order, and when both
//! sides changed the same claim's status differently, the newer change wins
//! and the other stays in history. Every choice is a total order (time,
//! then reviewer, then status), so merging A into B gives what merging B
//! into A gives. Anything we cannot merge with certainty (a side that does
//! not load, both sides changing the article) is left to git's own conflict
//! handling, and a result that would not load is never written as merged.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_yaml::Value;

use crate::model::{Claim, ClaimId, Document, Extra, HistoryEntry};

/// A claims file's log of rejected candidates (see `store::triage`).
const REJECTED: &str = "rejected";

/// Why a merge was left to git.
#[derive(Debug, Clone, PartialEq)]
pub struct Unmergeable(pub String);

/// Why a merge is left to a person, even if git's line merge is clean: a
/// claim deleted (or moved to another file) on one side and changed on the
/// other. Kept, it could be in the merged tree twice (the desk refuses a
/// tree with an id twice); dropped, the change would be lost.
#[derive(Debug, Clone, PartialEq)]
pub struct DeletedAndChanged(pub ClaimId);

/// A merged document, and what the merge decided that a person should know.
#[derive(Debug)]
pub struct Merged {
    pub doc: Document,
    pub reports: Vec<String>,
}

/// The three-way pick for a value: one side's change wins over no change;
/// two different changes are a conflict (`None`).
fn pick<'a, T: PartialEq>(base: Option<&'a T>, ours: &'a T, theirs: &'a T) -> Option<&'a T> {
    if ours == theirs || base == Some(theirs) {
        Some(ours)
    } else if base == Some(ours) {
        Some(theirs)
    } else {
        None
    }
}

/// A claim without what we merge field by field, to compare the rest.
fn rest(c: &Claim) -> Claim {
    Claim {
        status: crate::model::Status::Unreviewed,
        note: None,
        evidence: Vec::new(),
        history: Vec::new(),
        ..c.clone()
    }
}

/// The last history entry on a side that changed `what`.
fn last_change(c: &Claim, what: impl Fn(&HistoryEntry) -> bool) -> Option<&HistoryEntry> {
    c.history.iter().rev().find(|h| what(h))
}

/// History in time order: by time, then reviewer. Times are to the
/// second, so one reviewer's changes within a second keep the order they
/// were made in (a stable sort; an undo right after its change stays after
/// it). Either side merged into the other gives the same order: such a
/// run of entries comes whole from one side, or is already in both.
fn entry_order(a: &HistoryEntry, b: &HistoryEntry) -> Ordering {
    (a.at.as_str(), a.by.as_str()).cmp(&(b.at.as_str(), b.by.as_str()))
}

fn union_history(ours: &[HistoryEntry], theirs: &[HistoryEntry]) -> Vec<HistoryEntry> {
    // A union that keeps counts: an entry a side has twice (the same
    // reviewer, second and change, made twice) is there twice after.
    let mut all: Vec<HistoryEntry> = ours.to_vec();
    for (i, h) in theirs.iter().enumerate() {
        let in_theirs = theirs[..=i].iter().filter(|x| *x == h).count();
        let in_all = all.iter().filter(|x| *x == h).count();
        if in_theirs > in_all {
            all.push(h.clone());
        }
    }
    all.sort_by(entry_order);
    all
}

/// Which side's value wins when both changed it: the one whose last
/// relevant change orders later (time, then reviewer, then the value).
fn newer<'a, T: Ord>(
    ours: (&'a T, Option<&HistoryEntry>),
    theirs: (&'a T, Option<&HistoryEntry>),
) -> (&'a T, &'static str) {
    let key = |(v, h): (&'a T, Option<&HistoryEntry>)| (h.map(|h| (h.at.clone(), h.by.clone())), v);
    if key(theirs) > key(ours) {
        (theirs.0, "theirs")
    } else {
        (ours.0, "ours")
    }
}

/// A set of strings, merged three ways: what either side added stays, what
/// either side removed goes; base order first, then additions sorted.
fn merge_set(base: Option<&[String]>, ours: &[String], theirs: &[String]) -> Vec<String> {
    let base = base.unwrap_or_default();
    let removed = |e: &String| base.contains(e) && (!ours.contains(e) || !theirs.contains(e));
    let mut out: Vec<String> = base.iter().filter(|e| !removed(e)).cloned().collect();
    let mut added: Vec<String> = ours
        .iter()
        .chain(theirs)
        .filter(|e| !base.contains(e))
        .cloned()
        .collect();
    added.sort();
    added.dedup();
    out.extend(added);
    out
}

fn merge_claim(
    base: Option<&Claim>,
    ours: &Claim,
    theirs: &Claim,
    reports: &mut Vec<String>,
) -> Result<Claim, Unmergeable> {
    let (b_rest, o_rest, t_rest) = (base.map(rest), rest(ours), rest(theirs));
    let Some(mut merged) = pick(b_rest.as_ref(), &o_rest, &t_rest).cloned() else {
        return Err(Unmergeable(format!(
            "claim `{}`: both sides changed its text, translation, source or paragraph",
            ours.id
        )));
    };
    merged.history = union_history(&ours.history, &theirs.history);
    merged.evidence = match pick(base.map(|b| &b.evidence), &ours.evidence, &theirs.evidence) {
        Some(e) => e.clone(),
        None => merge_set(
            base.map(|b| b.evidence.as_slice()),
            &ours.evidence,
            &theirs.evidence,
        ),
    };
    let status_change = |h: &HistoryEntry| h.status != h.previous() || h.undo;
    merged.status = match pick(base.map(|b| &b.status), &ours.status, &theirs.status) {
        Some(s) => *s,
        None => {
            let (winner, side) = newer(
                (&ours.status, last_change(ours, status_change)),
                (&theirs.status, last_change(theirs, status_change)),
            );
            reports.push(format!(
                "claim `{}`: both sides changed the status ({} vs {}); kept the newer, {winner} ({side}); \
                 the other change stays in history",
                ours.id, ours.status, theirs.status
            ));
            *winner
        }
    };
    merged.note = match pick(base.map(|b| &b.note), &ours.note, &theirs.note) {
        Some(n) => n.clone(),
        None => {
            let with_note = |h: &HistoryEntry| h.note.is_some();
            let (winner, side) = newer(
                (&ours.note, last_change(ours, with_note)),
                (&theirs.note, last_change(theirs, with_note)),
            );
            reports.push(format!(
                "claim `{}`: both sides changed the note; kept the newer ({side}); \
                 the other stays in history",
                ours.id
            ));
            winner.clone()
        }
    };
    Ok(merged)
}

/// The file's top-level keys, three ways. The `rejected:` log (candidates
/// triage took out) is a set: two bureaus rejecting different candidates of
/// one article both stay; any other key both sides changed is a conflict.
fn merge_extra(base: &Extra, ours: &Extra, theirs: &Extra) -> Option<Extra> {
    if let Some(e) = pick(Some(base), ours, theirs) {
        return Some(e.clone());
    }
    let without = |e: &Extra| {
        let mut e = e.clone();
        e.remove(REJECTED);
        e
    };
    let mut merged = pick(Some(&without(base)), &without(ours), &without(theirs))?.clone();
    let list = |e: &Extra| match e.get(REJECTED) {
        Some(Value::Sequence(l)) => Some(l.clone()),
        None => Some(Vec::new()),
        Some(_) => None,
    };
    let (b, o, t) = (list(base)?, list(ours)?, list(theirs)?);
    let removed = |v: &Value| b.contains(v) && (!o.contains(v) || !t.contains(v));
    let mut out: Vec<Value> = b.iter().filter(|v| !removed(v)).cloned().collect();
    let mut added: Vec<Value> = o
        .iter()
        .chain(&t)
        .filter(|v| !b.contains(v))
        .cloned()
        .collect();
    let key = |v: &Value| serde_yaml::to_string(v).unwrap_or_default();
    added.sort_by_key(|v| {
        (
            v.get("at").and_then(Value::as_str).map(str::to_string),
            key(v),
        )
    });
    added.dedup();
    out.extend(added);
    if !out.is_empty() {
        merged.insert(Value::String(REJECTED.into()), Value::Sequence(out));
    }
    Some(merged)
}

/// Merge `ours` and `theirs`, both descended from `base`.
pub fn merge(base: &Document, ours: &Document, theirs: &Document) -> Result<Merged, Unmergeable> {
    merge_checked(base, ours, theirs).map_err(|e| match e {
        Err(u) => u,
        Ok(DeletedAndChanged(id)) => Unmergeable(format!(
            "claim `{id}`: deleted or moved on one side and changed on the other"
        )),
    })
}

/// `merge`, telling a claim deleted on one side and changed on the other
/// (`Ok` inside the error) from what git's line merge may still resolve.
fn merge_checked(
    base: &Document,
    ours: &Document,
    theirs: &Document,
) -> Result<Merged, Result<DeletedAndChanged, Unmergeable>> {
    let mut reports = Vec::new();
    let article = pick(Some(&base.article), &ours.article, &theirs.article)
        .ok_or_else(|| Err(Unmergeable("both sides changed the article itself".into())))?
        .clone();
    let sources = pick(Some(&base.sources), &ours.sources, &theirs.sources)
        .ok_or_else(|| Err(Unmergeable("both sides changed the sources".into())))?
        .clone();
    let extra = merge_extra(&base.extra, &ours.extra, &theirs.extra)
        .ok_or_else(|| Err(Unmergeable("both sides changed top-level keys".into())))?;

    let by_id = |d: &Document| -> HashMap<ClaimId, Claim> {
        d.claims.iter().map(|c| (c.id.clone(), c.clone())).collect()
    };
    let (b, o, t) = (by_id(base), by_id(ours), by_id(theirs));
    let ids = |d: &Document| d.claims.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
    let (base_ids, our_ids, their_ids) = (ids(base), ids(ours), ids(theirs));
    // The claims' order: a side's own order when only that side changed
    // it, else the base's; then any other claim of the base (one side
    // deleted it: the loop below decides), then what either side added,
    // by id. No choice depends on which side is which.
    let mut order: Vec<ClaimId> = pick(Some(&base_ids), &our_ids, &their_ids)
        .unwrap_or(&base_ids)
        .clone();
    let mut known: HashSet<ClaimId> = order.iter().cloned().collect();
    for id in &base_ids {
        if known.insert(id.clone()) {
            order.push(id.clone());
        }
    }
    let mut added: Vec<ClaimId> = our_ids
        .iter()
        .chain(&their_ids)
        .filter(|id| !known.contains(*id))
        .cloned()
        .collect();
    added.sort();
    added.dedup();
    order.extend(added);

    let mut claims = Vec::with_capacity(order.len());
    for id in &order {
        let in_base = b.get(id);
        match (o.get(id), t.get(id)) {
            (Some(oc), Some(tc)) => {
                claims.push(merge_claim(in_base, oc, tc, &mut reports).map_err(Err)?)
            }
            // Only on one side: added there, or deleted on the other.
            (Some(only), None) | (None, Some(only)) => match in_base {
                None => claims.push(only.clone()),
                Some(bc) if bc == only => {} // deleted on the other side, untouched here
                Some(_) => return Err(Ok(DeletedAndChanged(id.clone()))),
            },
            (None, None) => {}
        }
    }
    Ok(Merged {
        doc: Document {
            article,
            sources,
            claims,
            extra,
        },
        reports,
    })
}

/// Git's merge driver for one claims file: merge `ours` (%A, where the
/// result goes), `base` (%O) and `theirs` (%B) claim by claim. `Ok` with
/// what a person should know when the merged file is written (git then
/// commits it); `Err` with why not, once git's own line merge has left its
/// conflict markers in `ours` for a person to resolve.
/// `path` is the file's place in the work tree (git's %P), when git gives
/// it: a claim moved elsewhere is then looked for in the other files.
pub fn driver(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    path: Option<&Path>,
) -> Result<Vec<String>, String> {
    // Statuses are not checked: merging does not depend on which ones the desk knows.
    let load = |p: &Path, side: &str| {
        crate::store::load_file(p, None).map_err(|e| format!("{side} does not load: {e}"))
    };
    let (b, o, t) = match (
        load(base, "base"),
        load(ours, "ours"),
        load(theirs, "theirs"),
    ) {
        (Ok(b), Ok(o), Ok(t)) => (b, o, t),
        (b, o, t) => {
            // A side that does not load is never merged over: a person looks.
            let why = [b.err(), o.err(), t.err()].into_iter().flatten();
            let why = why.collect::<Vec<_>>().join("; ");
            return line_merge([base, ours, theirs], path, &why, false);
        }
    };
    let merged = match merge_checked(&b, &o, &t) {
        Ok(m) => m,
        // Both sides changed the article, say: git's line merge may still be clean.
        Err(Err(Unmergeable(why))) => return line_merge([base, ours, theirs], path, &why, true),
        // Never clean: kept, the claim may be in the tree twice; dropped,
        // a change is lost. A person decides, told where else it is.
        Err(Ok(DeletedAndChanged(id))) => {
            let elsewhere = path.map(|p| holders_of(&id, p)).unwrap_or_default();
            let why = match elsewhere.as_slice() {
                [] => format!(
                    "claim `{id}` was deleted on one side and changed on the other; keep \
                     the change or the deletion"
                ),
                files => format!(
                    "claim `{id}` was moved to {} on one side and changed here on the \
                     other; keep it in one file only, with the change",
                    files.join(", ")
                ),
            };
            return line_merge([base, ours, theirs], path, &why, false);
        }
    };
    let text = crate::store::render(&merged.doc)?;
    // The result must be a valid claims file on its own (ids, sources, paragraphs).
    if let Err(p) = crate::store::parse_document(ours, &text, None) {
        let why = format!("the merged file would not load: {p}");
        return line_merge([base, ours, theirs], path, &why, false);
    }
    // %A is git's own temporary file, read back at once: no rename, no
    // fsync (git makes the result durable as an object; syncing each of
    // fifty merged articles was most of a sync's time).
    std::fs::write(ours, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", ours.display()))?;
    Ok(merged.reports)
}

/// The other claims files beside `path` that hold a claim `id`: in the
/// work tree (our side), and in the commit being merged in (theirs, which
/// git names to its drivers as `GITHEAD_<commit>`).
fn holders_of(id: &ClaimId, path: &Path) -> Vec<String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let holds = |name: &Path, text: &str| {
        text.contains(id.0.as_str())
            && crate::store::parse_document(name, text, None)
                .is_ok_and(|d| d.claims.iter().any(|c| &c.id == id))
    };
    let mut out: Vec<String> = Vec::new();
    for f in crate::store::claims_files_in(dir).unwrap_or_default() {
        if f.file_name() != path.file_name()
            && std::fs::read_to_string(&f).is_ok_and(|t| holds(&f, &t))
        {
            out.push(f.display().to_string());
        }
    }
    let theirs =
        std::env::vars().filter_map(|(k, _)| k.strip_prefix("GITHEAD_").map(str::to_string));
    for commit in theirs.filter(|c| c.chars().all(|c| c.is_ascii_hexdigit())) {
        let git = |args: &[&str]| {
            std::process::Command::new("git")
                .args(args)
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        };
        let dir_arg = dir.display().to_string();
        let Some(listed) = git(&[
            "grep",
            "-l",
            "-F",
            "-e",
            id.0.as_str(),
            &commit,
            "--",
            &dir_arg,
        ]) else {
            continue;
        };
        for line in listed.lines() {
            let Some(file) = line.strip_prefix(&format!("{commit}:")) else {
                continue;
            };
            let file = Path::new(file);
            if file.file_name() == path.file_name() || file.extension().is_none_or(|e| e != "yaml")
            {
                continue;
            }
            let spec = format!("{commit}:{}", file.display());
            let name = format!("{} (theirs)", file.display());
            if !out.contains(&name) && git(&["show", &spec]).is_some_and(|t| holds(file, &t)) {
                out.push(name);
            }
        }
    }
    out
}

/// Git's own three-way line merge into `ours`, with conflict markers where
/// both sides changed the same lines; nothing is lost. With `accept_clean`,
/// a merge without conflicts whose result loads counts as merged (`Ok`);
/// otherwise this is always `Err`, so git stops for a person.
/// `path` is the file's own name (git's %P), for the message.
fn line_merge(
    [base, ours, theirs]: [&Path; 3],
    path: Option<&Path>,
    why: &str,
    accept_clean: bool,
) -> Result<Vec<String>, String> {
    let status = std::process::Command::new("git")
        .args(["merge-file", "-L", "ours", "-L", "base", "-L", "theirs"])
        .args([ours, base, theirs])
        .status();
    let what = format!(
        "could not merge {} claim by claim: {why}",
        path.unwrap_or(ours).display()
    );
    match status {
        Ok(s) if s.success() => {
            let loads = crate::store::load_file(ours, None).is_ok();
            if accept_clean && loads {
                Ok(vec![format!("{what}; git merged it line by line")])
            } else {
                Err(format!(
                    "{what}; git merged the lines, but the result needs a person: \
                     run `claimdesk check`, fix the file, then commit"
                ))
            }
        }
        Ok(_) => Err(format!("{what}; left conflict markers for you to resolve")),
        Err(e) => Err(format!(
            "{what}; could not run git merge-file ({e}); {} is unchanged",
            ours.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;

    fn entry(by: &str, at: &str) -> HistoryEntry {
        HistoryEntry {
            at: at.into(),
            by: by.into(),
            status: Status::Verified,
            previous: Some(Status::Unreviewed),
            note: None,
            evidence: Vec::new(),
            evidence_removed: Vec::new(),
            undo: false,
            extra: Default::default(),
        }
    }

    /// History is a record: the same entry twice on one side stays twice,
    /// and what both sides have stays once.
    #[test]
    fn a_history_union_keeps_counts() {
        let a = entry("alice", "2026-12-01T10:00:00Z");
        let b = entry("bob", "2026-12-01T11:00:00Z");
        let ours = vec![a.clone(), a.clone()];
        let theirs = vec![a.clone(), b.clone()];
        let merged = union_history(&ours, &theirs);
        assert_eq!(merged, vec![a.clone(), a.clone(), b.clone()]);
        let merged = union_history(&theirs, &ours);
        assert_eq!(merged, vec![a.clone(), a, b]);
    }

    /// One reviewer's change and its undo in the same second keep their
    /// order (the undo after), whichever side is merged into which.
    #[test]
    fn a_change_and_its_undo_in_one_second_stay_in_order() {
        let change = entry("alice", "2026-12-01T10:00:00Z");
        let mut undo = entry("alice", "2026-12-01T10:00:00Z");
        undo.status = Status::Unreviewed;
        undo.previous = Some(Status::Verified);
        undo.undo = true;
        let theirs = vec![entry("bob", "2026-12-01T09:00:00Z")];
        let ours = vec![change.clone(), undo.clone()];
        let both = [union_history(&ours, &theirs), union_history(&theirs, &ours)];
        for merged in both {
            assert_eq!(merged[1..], [change.clone(), undo.clone()]);
        }
    }

    /// Two bureaus rejecting different candidates of one article: both
    /// stay in the file's log; any other top-level key changed on both
    /// sides is still left to a person.
    #[test]
    fn rejections_from_both_sides_are_both_logged() {
        let log = |ids: &[&str]| {
            let list: Vec<Value> = ids
                .iter()
                .map(|id| {
                    let mut m = serde_yaml::Mapping::new();
                    m.insert("id".into(), (*id).into());
                    m.insert(
                        "at".into(),
                        format!("2026-12-01T10:00:0{}Z", id.len()).into(),
                    );
                    Value::Mapping(m)
                })
                .collect();
            let mut e = Extra::new();
            e.insert(REJECTED.into(), Value::Sequence(list));
            e
        };
        let (base, ours, theirs) = (log(&["a"]), log(&["a", "bb"]), log(&["a", "ccc"]));
        let merged = merge_extra(&base, &ours, &theirs).expect("merged");
        let ids: Vec<&str> = match merged.get(REJECTED) {
            Some(Value::Sequence(l)) => l.iter().filter_map(|v| v.get("id")?.as_str()).collect(),
            _ => Vec::new(),
        };
        assert_eq!(ids, ["a", "bb", "ccc"]);
        assert_eq!(merge_extra(&base, &theirs, &ours), Some(merged));
        let mut other = ours.clone();
        other.insert("note".into(), "ours".into());
        let mut other2 = theirs.clone();
        other2.insert("note".into(), "theirs".into());
        assert_eq!(merge_extra(&base, &other, &other2), None);
    }
}
