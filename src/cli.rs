//! The command line: arguments, and the non-interactive commands.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{self, Flags, ProcessEnv};
use crate::model::{BidiSetting, ClaimId, Status};
use crate::query::{Catalog, Filter, SourceTree};
use crate::store::{Change, Desk, Edit, StoreError, now_rfc3339};
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

#[derive(Debug, Parser)]
#[command(name = "claimdesk", version, about = "A terminal fact-check desk: review the claims of a news article from the keyboard.", after_help = EXIT_CODES)]
pub struct Cli {
    /// The claims directory (every *.yaml in it is an article's claims).
    #[arg(
        short = 'C',
        long = "claims",
        env = "CLAIMDESK_DIR",
        default_value = "claims",
        global = true
    )]
    pub claims: PathBuf,

    /// Who you are, as recorded in history. Default: $CLAIMDESK_REVIEWER, else
    /// $USER, else your account's name.
    #[arg(long, env = "CLAIMDESK_REVIEWER", global = true)]
    pub reviewer: Option<String>,

    /// Reorder right-to-left text for the terminal: `on` for terminals without
    /// bidi support (most), `off` for those that do their own (Konsole, mlterm).
    /// Default: `display.bidi` in claimdesk.yaml, else auto.
    #[arg(long, value_enum, env = "CLAIMDESK_BIDI", global = true)]
    pub bidi: Option<BidiMode>,

    /// Join Arabic letters (contextual presentation forms) for terminals that
    /// draw them isolated; only when the desk reorders (see --bidi).
    /// Default: `display.shape` in claimdesk.yaml, else off.
    #[arg(long, env = "CLAIMDESK_SHAPE", global = true, num_args = 0..=1, default_missing_value = "true")]
    pub shape: Option<bool>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BidiMode {
    Auto,
    On,
    Off,
}

impl From<BidiMode> for BidiSetting {
    fn from(m: BidiMode) -> BidiSetting {
        match m {
            BidiMode::Auto => BidiSetting::Auto,
            BidiMode::On => BidiSetting::On,
            BidiMode::Off => BidiSetting::Off,
        }
    }
}

impl Cli {
    /// What the flags (and the variables clap reads for them) say.
    pub fn flags(&self) -> Flags {
        Flags {
            reviewer: self.reviewer.clone(),
            bidi: self.bidi.map(BidiSetting::from),
            shape: self.shape,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List claims as a table (or JSON).
    List {
        /// Only claims of this source (id or name, any case), including its child sources.
        #[arg(long)]
        source: Option<String>,
        /// Only claims with this status.
        #[arg(long)]
        status: Option<String>,
        /// Print a JSON array of {id, source, source_id, status, text, translation, paragraph, article}.
        #[arg(long)]
        json: bool,
    },
    /// Show one claim in full: source, text, translation, note, evidence, history.
    Show { id: String },
    /// Set a claim's status, recorded at once in its file and its history.
    Set {
        id: String,
        /// unreviewed, in-review, verified, misleading, false or unverifiable.
        status: String,
        /// Why: replaces the claim's note and goes into history.
        #[arg(long)]
        note: Option<String>,
        /// A URL or reference backing the verdict; repeat for several.
        #[arg(long)]
        evidence: Vec<String>,
    },
    /// Count claims by source and status.
    Stats,
    /// Validate every claims file; exit 1 listing every problem.
    Check,
    /// Publish verdicts: ClaimReview JSON-LD, a Markdown report, CSV or JSON.
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Write here (atomically) instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Serve the desk over SSH: reviewers connect with plain ssh (see README).
    #[cfg(feature = "serve")]
    Serve {
        /// Address and port to listen on.
        #[arg(long, default_value = "127.0.0.1:2222")]
        listen: std::net::SocketAddr,
        /// The server's host key (OpenSSH format); made with mode 0600 if missing.
        #[arg(long, default_value = "claimdesk_host_key")]
        host_key: PathBuf,
        /// Who may connect: names, roles and public keys.
        #[arg(long, default_value = "reviewers.yaml")]
        reviewers: PathBuf,
        /// Sessions at once; more are told the desk is full.
        #[arg(long, default_value_t = 32)]
        max_sessions: usize,
        /// Sessions one reviewer may have open at once.
        #[arg(long, default_value_t = 4)]
        max_sessions_per_reviewer: usize,
        /// Close a connection idle this many seconds.
        #[arg(long, default_value_t = 3600)]
        idle_timeout: u64,
        /// Close a connection that has not logged in within this many seconds.
        #[arg(long, default_value_t = 20)]
        login_timeout: u64,
    },
    /// Git merge driver for claims files: merges claim by claim (see README).
    /// Git runs it as `claimdesk merge-driver %O %A %B` and reads the result from %A.
    MergeDriver {
        /// The common ancestor (%O).
        base: PathBuf,
        /// Ours (%A): the merge result is written here.
        ours: PathBuf,
        /// Theirs (%B).
        theirs: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// schema.org ClaimReview JSON-LD, one per claim with a verdict.
    Claimreview,
    /// An editor's report: per article, per source.
    Markdown,
    /// One row per claim, for spreadsheets.
    Csv,
    /// Every claim with its article, source and history, for scripts.
    Json,
}

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
    let desk = Desk::load_cached(&cli.claims).map_err(|p| {
        Failure::data(format!(
            "{p}\n{} problem(s); fix them and run `claimdesk check`",
            p.0.len()
        ))
    })?;
    Ok(desk)
}

/// Load for a one-shot command: it ends right after, so let the parse cache
/// finish first (the desk instead writes it while the reviewer works).
fn load_once(cli: &Cli) -> Result<Desk, Failure> {
    let desk = load(cli)?;
    desk.finish_cache();
    Ok(desk)
}

/// A status the user typed, checked against the desk's scale.
fn parse_status(desk: &Desk, s: &str) -> Result<Status, Failure> {
    desk.settings
        .rating_scale
        .parse(s)
        .map_err(|e| Failure::usage(format!("{e}")))
}

/// Open the desk in this terminal.
pub fn desk(cli: &Cli) -> Result<(), Failure> {
    let desk = load(cli)?;
    let config = config::resolve(&cli.flags(), &desk.settings, &ProcessEnv);
    crate::term::run(desk, config).map_err(|e| Failure::data(e.to_string()))
}

/// Run a non-interactive command, writing its output to `out`.
pub fn run(cli: &Cli, command: &Command, out: &mut dyn Write) -> Result<(), Failure> {
    let to_terminal = std::io::stdout().is_terminal();
    // Pipes get logical order (what a program wants); terminals get what they can draw.
    let bidi_for = |desk: &Desk| {
        if to_terminal {
            config::bidi(&cli.flags(), &desk.settings, &ProcessEnv)
        } else {
            Bidi::Logical
        }
    };
    let width = if to_terminal {
        crossterm::terminal::size().map_or(100, |(w, _)| w as usize)
    } else {
        100
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
                .map(|s| parse_status(&desk, s))
                .transpose()?;
            list(
                &desk,
                source.as_deref(),
                status,
                *json,
                width,
                bidi_for(&desk),
            )?
        }
        Command::Show { id } => {
            let desk = load_once(cli)?;
            show(&desk, id, width, bidi_for(&desk))?
        }
        Command::Set {
            id,
            status,
            note,
            evidence,
        } => {
            let mut desk = load_once(cli)?;
            let status = parse_status(&desk, status)?;
            desk.resolve(id)?;
            let by = reviewer(cli)?;
            let change = Change {
                claim: ClaimId(id.clone()),
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
            let claim = desk.apply(&change)?;
            let previous = claim.history.last().map_or(status, |h| h.previous);
            // Who had set the status this replaces, from history.
            let earlier = claim.history.len().saturating_sub(1);
            let setter = claim.history[..earlier]
                .iter()
                .rev()
                .find(|h| h.status != h.previous || h.undo);
            let replaced = match setter {
                Some(h) => format!("replaced {previous}, set by {} at {}", h.by, h.at),
                None => format!("replaced {previous}"),
            };
            format!(
                "{id}: {previous} -> {status} (by {by}; {})\n",
                text::sanitize(&replaced)
            )
        }
        Command::Stats => stats(&load_once(cli)?, width),
        #[cfg(feature = "serve")]
        Command::Serve {
            listen,
            host_key,
            reviewers,
            max_sessions,
            max_sessions_per_reviewer,
            idle_timeout,
            login_timeout,
        } => {
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
            })
            .map_err(|e| Failure::data(e.to_string()))?;
            String::new()
        }
        Command::MergeDriver { base, ours, theirs } => {
            merge_driver(base, ours, theirs)?;
            String::new()
        }
        Command::Export { format, out } => {
            let desk = load_once(cli)?;
            let text = export(&desk, *format);
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
    out.write_all(text.as_bytes())
        .map_err(|e| Failure::data(format!("cannot write output: {e}")))
}

/// Merge claims files for git; anything uncertain goes to git's own conflict markers.
fn merge_driver(base: &Path, ours: &Path, theirs: &Path) -> Result<(), Failure> {
    match crate::merge::driver(base, ours, theirs) {
        Ok(reports) => {
            for r in reports {
                eprintln!(
                    "claimdesk merge: {}: {}",
                    ours.display(),
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

/// The export's text; what was left out of a ClaimReview export goes to stderr.
fn export(desk: &Desk, format: ExportFormat) -> String {
    match format {
        ExportFormat::Claimreview => {
            let e = crate::export::claimreview(desk);
            eprintln!(
                "exported {} review(s); {} claim(s) have no verdict yet",
                e.exported, e.without_verdict
            );
            for (id, why) in &e.skipped {
                eprintln!("not exported: {}: {}", text::sanitize(id), why);
            }
            escape_invisible_in_json(&e.json)
        }
        ExportFormat::Markdown => crate::export::markdown(desk),
        ExportFormat::Csv => crate::export::csv(desk),
        ExportFormat::Json => escape_invisible_in_json(&crate::export::json(desk)),
    }
}

fn list(
    desk: &Desk,
    source: Option<&str>,
    status: Option<Status>,
    json: bool,
    width: usize,
    bidi: Bidi,
) -> Result<String, Failure> {
    let tree = SourceTree::of(desk);
    let sources = match source {
        Some(s) => {
            let found = tree.matching(s);
            if found.is_empty() {
                let names: Vec<&str> = tree.sources.keys().map(|k| k.0.as_str()).collect();
                let hint = text::closest(s, names.iter().copied())
                    .map(|n| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default();
                return Err(Failure::usage(format!(
                    "no source matches `{s}`{hint}; `claimdesk stats` lists them"
                )));
            }
            Some(found)
        }
        None => None,
    };
    let filter = Filter {
        sources,
        statuses: status.map(|s| HashSet::from([s])),
        search: String::new(),
    };
    let hits = Catalog::built(desk).filter(desk, &filter, None);
    if json {
        let rows: Vec<serde_json::Value> = hits
            .iter()
            .filter_map(|r| Some((desk.get(*r)?, desk.doc(*r)?)))
            .map(|(c, doc)| {
                serde_json::json!({
                    "id": c.id.0,
                    "source": tree.name(&c.source),
                    "source_id": c.source.0,
                    "status": c.status.key(),
                    "text": c.text,
                    "translation": c.translation,
                    "paragraph": c.paragraph,
                    "article": doc.article.id,
                })
            })
            .collect();
        let s = serde_json::to_string_pretty(&rows)
            .map_err(|e| Failure::data(format!("cannot encode JSON: {e}")))?;
        let mut s = escape_invisible_in_json(&s);
        s.push('\n');
        return Ok(s);
    }
    let (idw, srcw, stw) = (8, 22, 12);
    let textw = width.saturating_sub(idw + srcw + stw + 3).max(10);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} {} {} TEXT",
        text::fit("ID", idw),
        text::fit("SOURCE", srcw),
        text::fit("STATUS", stw)
    );
    for c in hits.iter().filter_map(|r| desk.get(*r)) {
        let _ = writeln!(
            s,
            "{} {} {} {}",
            text::fit(&text::sanitize(&c.id.0), idw),
            text::fit(&text::sanitize(tree.name(&c.source)), srcw),
            text::fit(c.status.key(), stw),
            text::cell(&c.text, textw, bidi)
        );
    }
    let _ = writeln!(s, "{} claim(s)", hits.len());
    Ok(s)
}

/// serde_json escapes only C0 controls. C1 controls (some terminals read
/// U+009B as CSI) and bidi overrides could still act on a terminal the JSON
/// is printed to; write them as `\uXXXX`, which every JSON reader decodes to
/// the same string.
fn escape_invisible_in_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        // serde_json has escaped the C0 controls already; the rest go here.
        if text::is_unsafe(c) && !c.is_ascii() {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// Lines of a labelled, wrapped field for `show`.
fn field(out: &mut String, label: &str, value: &str, width: usize, bidi: Bidi) {
    let indent = 13;
    let (lines, _) = text::layout(value, width.saturating_sub(indent).max(20), bidi);
    for (i, l) in lines.iter().enumerate() {
        let head = if i == 0 { label } else { "" };
        let _ = writeln!(out, "{head:<indent$}{l}");
    }
}

fn show(desk: &Desk, id: &str, width: usize, bidi: Bidi) -> Result<String, Failure> {
    let at = desk.resolve(id)?;
    let (Some(c), Some(doc)) = (desk.get(at), desk.doc(at)) else {
        return Err(Failure::data(format!("claim `{id}` could not be read")));
    };
    let tree = SourceTree::of(desk);
    let mut s = String::new();
    let _ = writeln!(s, "{}  [{}]", text::sanitize(&c.id.0), c.status);
    let src = match doc.source(&c.source) {
        Some(src) => {
            let mut d = format!("{} ({}) - {}", src.name, src.name_original, src.kind);
            if let Some(country) = &src.country {
                let _ = write!(d, ", {country}");
            }
            if let Some(p) = &src.parent {
                let _ = write!(d, "; part of {}", tree.name(p));
            }
            d
        }
        None => c.source.0.clone(),
    };
    field(&mut s, "Source:", &src, width, bidi);
    let article = format!(
        "{} ({}, {})",
        doc.article.title_en, doc.article.outlet, doc.article.published
    );
    field(&mut s, "Article:", &article, width, bidi);
    let para = if c.paragraph == 0 {
        "headline".to_string()
    } else {
        c.paragraph.to_string()
    };
    field(&mut s, "Paragraph:", &para, width, bidi);
    field(&mut s, "Text:", &c.text, width, bidi);
    field(&mut s, "Translation:", &c.translation, width, bidi);
    field(
        &mut s,
        "Note:",
        c.note.as_deref().unwrap_or("-"),
        width,
        bidi,
    );
    if c.evidence.is_empty() {
        field(&mut s, "Evidence:", "-", width, bidi);
    }
    for (i, e) in c.evidence.iter().enumerate() {
        field(
            &mut s,
            if i == 0 { "Evidence:" } else { "" },
            e,
            width,
            bidi,
        );
    }
    if c.history.is_empty() {
        field(&mut s, "History:", "-", width, bidi);
    }
    for (i, h) in c.history.iter().enumerate() {
        let mut line = format!("{} {}: {} -> {}", h.at, h.by, h.previous, h.status);
        if h.undo {
            line.push_str(" (undo)");
        }
        if let Some(n) = &h.note {
            let _ = write!(line, " \"{n}\"");
        }
        field(
            &mut s,
            if i == 0 { "History:" } else { "" },
            &line,
            width,
            bidi,
        );
    }
    Ok(s)
}

/// The source x status matrix, from the same counts as the desk's stats
/// view: a source counts its sub-sources, as filtering by it does.
fn stats(desk: &Desk, width: usize) -> String {
    let scale = &desk.settings.rating_scale;
    let rows = Catalog::built(desk).stats_rows(desk);
    let namew = width
        .saturating_sub(7 * (scale.len() + 2) + 1)
        .clamp(16, 40);
    let mut s = String::new();
    let _ = write!(s, "{}", text::fit("SOURCE (with sub-sources)", namew));
    for d in &scale.statuses {
        let _ = write!(s, " {:>6}", text::truncate(&text::sanitize(&d.label), 6));
    }
    let _ = writeln!(s, " {:>6} {:>6}", "total", "own");
    for row in &rows {
        let name = match row.source {
            Some(_) => format!("{}{}", "  ".repeat(row.depth), text::sanitize(&row.name)),
            None => "all sources".to_string(),
        };
        let _ = write!(s, "{}", text::fit(&name, namew));
        for n in &row.counts {
            let _ = write!(s, " {n:>6}");
        }
        let _ = writeln!(s, " {:>6} {:>6}", row.total(), row.own);
    }
    if let Some(all) = rows.last() {
        let _ = writeln!(
            s,
            "{} of {} claims have a verdict; \"own\" counts a source without its sub-sources",
            all.reviewed,
            all.total()
        );
    }
    s
}
