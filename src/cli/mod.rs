//! The command line: arguments, and the non-interactive commands.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::Path;

mod args;
mod import;
mod report;

pub use args::{BidiMode, Cli, Command, EvidenceChange, ExportFormat};
use report::{export, list, show, stats};

use crate::config::{self, ProcessEnv};
use crate::model::{ClaimId, Status};
use crate::store::{Change, Desk, Edit, Problems, StoreError, now_rfc3339};
use crate::text::{self, Bidi};

pub const EXIT_OK: i32 = 0;
/// The claims files are invalid or could not be read or written.
pub const EXIT_DATA: i32 = 1;
/// Bad arguments: an unknown command, option, claim id or status.
pub const EXIT_USAGE: i32 = 2;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  the claims files are invalid, or could not be read or written
  2  bad arguments: unknown command, option, claim id or status";

/// A failed command: the message for stderr and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub message: String,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: EXIT_USAGE,
            message: message.into(),
        }
    }
    fn data(message: impl Into<String>) -> Failure {
        Failure {
            code: EXIT_DATA,
            message: message.into(),
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::UnknownClaim { .. } => Failure::usage(e.to_string()),
            other => Failure::data(other.to_string()),
        }
    }
}

/// Who is making changes (see `config::reviewer`).
fn reviewer(cli: &Cli) -> Result<String, Failure> {
    config::reviewer(cli.reviewer.as_deref(), &ProcessEnv).ok_or_else(|| {
        Failure::usage("cannot tell who you are: pass --reviewer NAME or set CLAIMDESK_REVIEWER")
    })
}

fn load(cli: &Cli) -> Result<Desk, Failure> {
    Desk::load_cached(&cli.claims).map_err(not_loaded)
}

fn not_loaded(p: Problems) -> Failure {
    Failure::data(format!(
        "{p}\n{} problem(s); fix them and run `claimdesk check`",
        p.0.len()
    ))
}

/// Load for a one-shot command: it ends right after, so let the parse cache
/// finish first (the desk instead writes it while the reviewer works). The
/// desk is left for the process's exit to reclaim, not freed claim by
/// claim: at a million claims that took a few hundred milliseconds.
fn load_once(cli: &Cli) -> Result<&'static mut Desk, Failure> {
    let desk = load(cli)?;
    desk.finish_cache();
    Ok(Box::leak(Box::new(desk)))
}

/// A status the user typed, checked against the desk's scale.
fn parse_status(desk: &Desk, s: &str) -> Result<Status, Failure> {
    desk.settings
        .rating_scale
        .parse(s)
        .map_err(|e| Failure::usage(format!("{e}")))
}

/// Record where this process's changes are made: `--bureau`, else the
/// clone's `claimdesk init --bureau`.
fn here(cli: &Cli) {
    let bureau = cli
        .bureau
        .clone()
        .or_else(|| crate::sync::bureau_of(&cli.claims));
    if let Some(b) = bureau {
        crate::store::set_bureau(&b);
    }
}

/// Open the desk in this terminal.
pub fn desk(cli: &Cli) -> Result<(), Failure> {
    here(cli);
    // The first files now, the rest while the reviewer already works.
    let hub = crate::query::Hub::open(&cli.claims, true).map_err(not_loaded)?;
    let config = config::resolve(&cli.flags(), &hub.view().desk.settings, &ProcessEnv);
    crate::term::run(hub, config).map_err(|e| Failure::data(e.to_string()))
}

/// `claimdesk synth`: a synthetic desk of `size` claims in `out`, new or empty.
fn synth(
    out: &Path,
    size: usize,
    seed: u64,
    shape: crate::synth::Shape,
) -> Result<String, Failure> {
    let busy = std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_some());
    if busy {
        return Err(Failure::usage(format!(
            "{} is not empty; give a new or empty directory",
            out.display()
        )));
    }
    let per_file = 100.min(size).max(1);
    let files = size.div_ceil(per_file);
    std::fs::create_dir_all(out)
        .and_then(|()| crate::synth::write_desk_shaped(out, files, per_file, seed, shape))
        .map_err(|e| Failure::data(format!("cannot write {}: {e}", out.display())))?;
    Ok(format!(
        "wrote {} claims in {files} files to {}\n",
        files * per_file,
        out.display()
    ))
}

/// The width of output to a pipe or a file: lines are never broken.
const UNWRAPPED: usize = 1 << 20;

/// Run a non-interactive command, writing its output to `out`.
pub fn run(cli: &Cli, command: &Command, out_stream: &mut dyn Write) -> Result<(), Failure> {
    let to_terminal = std::io::stdout().is_terminal();
    // Pipes and files get the text as the file has it: logical order, no
    // bracket mirrored, no line broken (what a program, a report or a
    // spreadsheet wants); so does `--bidi off`. Terminals get what they
    // can draw.
    let off = cli.flags().bidi == Some(crate::model::BidiSetting::Off);
    let bidi_for = |desk: &Desk| {
        if to_terminal && !off {
            config::bidi(&cli.flags(), &desk.settings, &ProcessEnv)
        } else {
            Bidi::LogicalByLine
        }
    };
    let width = if to_terminal {
        crossterm::terminal::size().map_or(100, |(w, _)| w as usize)
    } else {
        UNWRAPPED
    };
    let text = match command {
        Command::Check => {
            let desk = load_once(cli)?;
            format!(
                "ok: {} claims in {} file(s) under {}\n",
                desk.claim_count(),
                desk.files.len(),
                cli.claims.display()
            )
        }
        Command::List {
            source,
            status,
            json,
        } => {
            let desk = load_once(cli)?;
            let status = status
                .as_deref()
                .map(|s| parse_status(desk, s))
                .transpose()?;
            list(
                desk,
                source.as_deref(),
                status,
                *json,
                width,
                bidi_for(desk),
            )?
        }
        Command::Show { id } => {
            let desk = load_once(cli)?;
            show(desk, id, width, bidi_for(desk))?
        }
        Command::Set {
            id,
            status,
            note,
            evidence,
        } => {
            here(cli);
            let desk = load_once(cli)?;
            let status = parse_status(desk, status)?;
            desk.resolve(id)?;
            let by = reviewer(cli)?;
            let change = Change {
                claim: ClaimId(id.as_str().into()),
                by: by.clone(),
                at: now_rfc3339(),
                edit: Edit::Status {
                    status,
                    note: note.clone(),
                    evidence: evidence.clone(),
                },
                // Explicit: applied at once, saying what it replaced.
                seen: None,
            };
            let claim = desk
                .apply(&change)?
                .ok_or_else(|| Failure::data(format!("{id}: no longer on the desk")))?;
            let previous = claim.history.last().map_or(status, |h| h.previous());
            // Who had set the status this replaces, from history.
            let earlier = claim.history.len().saturating_sub(1);
            let setter = claim.history[..earlier]
                .iter()
                .rev()
                .find(|h| h.status != h.previous() || h.undo);
            let replaced = match setter {
                Some(h) => format!("replaced {previous}, set by {} at {}", h.by, h.at),
                None => format!("replaced {previous}"),
            };
            format!(
                "{id}: {previous} -> {status} (by {by}; {})\n",
                text::sanitize(&replaced)
            )
        }
        Command::Evidence { change } => {
            let (id, edit, done) = match change {
                EvidenceChange::Add { id, url } => (
                    id,
                    Edit::Evidence {
                        add: vec![url.trim().to_string()],
                        remove: Vec::new(),
                    },
                    format!("added evidence {}", url.trim()),
                ),
                EvidenceChange::Remove { id, url } => (
                    id,
                    Edit::Evidence {
                        add: Vec::new(),
                        remove: vec![url.trim().to_string()],
                    },
                    format!("removed evidence {}", url.trim()),
                ),
            };
            one_change(cli, id, edit, &done)?
        }
        Command::Note { id, text } => {
            let done = if text.trim().is_empty() {
                "removed the note".to_string()
            } else {
                "wrote the note".to_string()
            };
            one_change(cli, id, Edit::Note(text.clone()), &done)?
        }
        Command::Translate { id, text } => {
            let done = if text.trim().is_empty() {
                "removed the translation".to_string()
            } else {
                "wrote the translation".to_string()
            };
            one_change(cli, id, Edit::Translation(text.clone()), &done)?
        }
        Command::Stats => stats(load_once(cli)?, width),
        #[cfg(feature = "serve")]
        Command::Serve {
            listen,
            host_key,
            reviewers,
            max_sessions,
            max_sessions_per_reviewer,
            idle_timeout,
            login_timeout,
            sync,
            sync_every,
        } => {
            here(cli);
            crate::serve::run(crate::serve::Options {
                listen: *listen,
                host_key: host_key.clone(),
                reviewers: reviewers.clone(),
                claims: cli.claims.clone(),
                max_sessions: *max_sessions,
                max_sessions_per_reviewer: *max_sessions_per_reviewer,
                idle_timeout: std::time::Duration::from_secs(*idle_timeout),
                login_timeout: std::time::Duration::from_secs(*login_timeout),
                flags: cli.flags(),
                sync: sync
                    .clone()
                    .map(|r| (r, std::time::Duration::from_secs((*sync_every).max(1)))),
            })
            .map_err(|e| Failure::data(e.to_string()))?;
            String::new()
        }
        Command::Import {
            file,
            id,
            title,
            outlet,
            url,
            published,
            lang,
            author,
            force,
            html,
        } => {
            let opts = crate::import::Options {
                id: id.clone(),
                title: title.clone(),
                outlet: outlet.clone(),
                url: url.clone(),
                published: published.clone(),
                language: lang.clone(),
                author: author.clone(),
                prefix: None,
            };
            import::run(&cli.claims, file, &opts, *force, *html)?
        }
        Command::Synth {
            out,
            size,
            seed,
            newsroom,
        } => {
            let shape = if *newsroom {
                crate::synth::Shape::Newsroom
            } else {
                crate::synth::Shape::Plain
            };
            synth(out, *size, *seed, shape)?
        }
        Command::Init { remote } => {
            crate::sync::init(&cli.claims, cli.bureau.as_deref(), remote.as_deref())
                .map_err(Failure::data)?
                .join("\n")
                + "\n"
        }
        Command::Sync { remote, json } => {
            let opts = crate::sync::Options {
                remote: remote.clone(),
                ..Default::default()
            };
            let report = match crate::sync::sync(&cli.claims, &opts) {
                Ok(r) => r,
                Err(why) => {
                    // A script reads what went wrong where it reads the rest.
                    if *json {
                        let said = serde_json::json!({"outcome": "not-ready", "message": why});
                        let _ = writeln!(out_stream, "{said:#}");
                    }
                    return Err(Failure::data(why));
                }
            };
            let said = if *json {
                serde_json::to_string_pretty(&report)
                    .map_err(|e| Failure::data(format!("cannot write JSON: {e}")))?
                    + "\n"
            } else {
                report.to_string()
            };
            if !report.went_through() {
                out_stream
                    .write_all(said.as_bytes())
                    .map_err(|e| Failure::data(e.to_string()))?;
                return Err(Failure {
                    code: EXIT_DATA,
                    message: String::new(),
                });
            }
            said
        }
        Command::MergeDriver {
            base,
            ours,
            theirs,
            path,
        } => {
            merge_driver(base, ours, theirs, path.as_deref())?;
            String::new()
        }
        Command::Export {
            format,
            out,
            claim,
            out_dir,
        } => {
            let desk = load_once(cli)?;
            if let Some(id) = claim {
                desk.resolve(id)?;
            }
            let claim = claim.as_ref().map(|c| ClaimId(c.as_str().into()));
            if *format == ExportFormat::ClaimreviewHtml {
                let Some(dir) = out_dir else {
                    return Err(Failure::usage(
                        "claimreview-html writes one file per review: give --out-dir DIR",
                    ));
                };
                return write_snippets(desk, claim.as_ref(), dir, out_stream);
            }
            if *format == ExportFormat::Xlsx {
                let bytes = crate::export::xlsx(desk).map_err(Failure::data)?;
                return match out {
                    Some(path) => {
                        out_path_problem(path)?;
                        crate::store::write_file(path, &bytes).map_err(|e| {
                            Failure::data(format!("cannot write {}: {e}", path.display()))
                        })
                    }
                    None if to_terminal => Err(Failure::usage(
                        "an xlsx workbook is binary: give --out FILE.xlsx, or pipe it",
                    )),
                    None => out_stream
                        .write_all(&bytes)
                        .map_err(|e| Failure::data(format!("cannot write output: {e}"))),
                };
            }
            let text = export(desk, *format, claim.as_ref())?;
            match out {
                Some(path) => {
                    out_path_problem(path)?;
                    crate::store::write_file(path, text.as_bytes()).map_err(|e| {
                        Failure::data(format!("cannot write {}: {e}", path.display()))
                    })?;
                    String::new()
                }
                // On a terminal, nothing from the files may act on it.
                None if to_terminal => text.lines().map(|l| text::sanitize(l) + "\n").collect(),
                None => text,
            }
        }
    };
    out_stream
        .write_all(text.as_bytes())
        .map_err(|e| Failure::data(format!("cannot write output: {e}")))
}

/// One `<script type="application/ld+json">` file per review in `dir`,
/// named by claim id: what a publisher pastes into each review's page.
fn write_snippets(
    desk: &Desk,
    only: Option<&ClaimId>,
    dir: &Path,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let reviews = crate::export::claimreview(desk, only).map_err(Failure::data)?;
    if reviews.reviews.is_empty() {
        return Err(Failure::data(nothing_to_export(&reviews)));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::data(format!("cannot make {}: {e}", dir.display())))?;
    let mut said = String::new();
    for (id, review) in &reviews.reviews {
        // Ids become file names: only ones that cannot climb out of `dir`.
        let safe =
            id.0.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                && !id.0.starts_with('.');
        if !safe {
            return Err(Failure::data(format!(
                "claim id `{}` cannot be a file name; rename the claim (letters, digits, - and _)",
                text::sanitize(&id.0)
            )));
        }
        let path = dir.join(format!("{}.html", id.0));
        out_path_problem(&path)?;
        crate::store::write_file(&path, crate::export::script_element(review).as_bytes())
            .map_err(|e| Failure::data(format!("cannot write {}: {e}", path.display())))?;
        let _ = writeln!(said, "{}", path.display());
    }
    out.write_all(said.as_bytes())
        .map_err(|e| Failure::data(format!("cannot write output: {e}")))
}

/// Why a ClaimReview export has nothing in it, as an error says it.
fn nothing_to_export(r: &crate::export::ClaimReviews) -> String {
    let mut why = format!(
        "nothing to export: no claim here has a verdict with a recorded date ({} without a \
         verdict)",
        r.without_verdict
    );
    for (id, reason) in &r.skipped {
        let _ = write!(why, "\nnot exported: {}: {reason}", text::sanitize(id));
    }
    why
}

/// Apply one explicit change to claim `id` now, and say what was done.
fn one_change(cli: &Cli, id: &str, edit: Edit, done: &str) -> Result<String, Failure> {
    here(cli);
    let desk = load_once(cli)?;
    desk.resolve(id)?;
    let by = reviewer(cli)?;
    let before = desk
        .find(&ClaimId(id.into()))
        .and_then(|r| desk.get(r))
        .map(|c| c.evidence.clone())
        .unwrap_or_default();
    let remove_missing = match &edit {
        Edit::Evidence { remove, .. } => remove.iter().find(|u| !before.contains(u)).cloned(),
        _ => None,
    };
    if let Some(url) = remove_missing {
        return Err(Failure::usage(format!(
            "claim {id} has no evidence {}; `claimdesk show {id}` lists it",
            text::sanitize(&url)
        )));
    }
    let change = Change {
        claim: ClaimId(id.into()),
        by: by.clone(),
        at: now_rfc3339(),
        edit,
        seen: None,
    };
    desk.apply(&change)?;
    Ok(format!("{id}: {} (by {by})\n", text::sanitize(done)))
}

/// Merge claims files for git; anything uncertain goes to git's own conflict markers.
fn merge_driver(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    path: Option<&Path>,
) -> Result<(), Failure> {
    match crate::merge::driver(base, ours, theirs, path) {
        Ok(reports) => {
            for r in reports {
                // The file's own path when git gives it (%P): `ours` is a
                // temporary copy whose name says nothing.
                eprintln!(
                    "claimdesk merge: {}: {}",
                    path.unwrap_or(ours).display(),
                    text::sanitize(&r)
                );
            }
            Ok(())
        }
        Err(why) => Err(Failure::data(format!(
            "merge-driver: {}",
            text::sanitize(&why)
        ))),
    }
}

/// `--out` writes a regular file, replacing it atomically: a path that is
/// a link, a device or anything else is refused rather than replaced.
fn out_path_problem(path: &Path) -> Result<(), Failure> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(Failure::usage(format!(
            "--out {} is a symbolic link; give the real file's path, or leave out --out \
             to write to standard output",
            path.display()
        ))),
        Ok(m) if !m.file_type().is_file() => Err(Failure::usage(format!(
            "--out {} is not a regular file (a device, directory or pipe); give a file \
             name, or leave out --out to write to standard output",
            path.display()
        ))),
        _ => Ok(()),
    }
}
