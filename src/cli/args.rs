//! The command line's arguments and commands, as clap reads them.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use super::EXIT_CODES;
use crate::config::Flags;
use crate::model::BidiSetting;

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
    /// bidi support (xterm, GNOME Terminal, most), `off` for those that do
    /// their own (Konsole, mlterm), `words` for kitty (it orders letters in
    /// each word itself). Default: `display.bidi` in claimdesk.yaml, else
    /// auto: by what the terminal says it is.
    #[arg(long, value_enum, env = "CLAIMDESK_BIDI", global = true)]
    pub bidi: Option<BidiMode>,

    /// Join Arabic letters (contextual presentation forms) for terminals that
    /// draw them isolated; only when the desk reorders (see --bidi).
    /// Default: `display.shape` in claimdesk.yaml, else as suits the terminal (on in xterm).
    #[arg(long, env = "CLAIMDESK_SHAPE", global = true, num_args = 0..=1, default_missing_value = "true")]
    pub shape: Option<bool>,

    /// Where you work (a bureau: Tirana, Abu Dhabi), recorded with each
    /// change so a desk synced across bureaus shows who decided where.
    /// Default: $CLAIMDESK_BUREAU, else the clone's `claimdesk init --bureau`.
    #[arg(long, env = "CLAIMDESK_BUREAU", global = true)]
    pub bureau: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BidiMode {
    Auto,
    On,
    Words,
    Off,
}

impl From<BidiMode> for BidiSetting {
    fn from(m: BidiMode) -> BidiSetting {
        match m {
            BidiMode::Auto => BidiSetting::Auto,
            BidiMode::On => BidiSetting::On,
            BidiMode::Words => BidiSetting::Words,
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
    /// Add or remove one evidence URL of a claim (each its own history entry).
    Evidence {
        #[command(subcommand)]
        change: EvidenceChange,
    },
    /// Write a claim's note (an empty TEXT removes it); the status stays.
    Note { id: String, text: String },
    /// Write a claim's English translation (its own history entry; an
    /// empty TEXT makes it pending again).
    Translate { id: String, text: String },
    /// Count claims by source and status.
    Stats,
    /// Validate every claims file; exit 1 listing every problem.
    Check,
    /// Start a claims file for a new article: its text in (one paragraph per
    /// line, or blank-line separated; `-` for standard input), candidate
    /// claims with their sources out, as DIR/ID.yaml, for review in the desk.
    Import {
        /// The article's text, UTF-8; `-` reads standard input.
        file: PathBuf,
        /// The article's id; also the file name and the prefix of claim ids.
        #[arg(long)]
        id: String,
        /// The headline; without it the first paragraph is the headline.
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        outlet: Option<String>,
        #[arg(long)]
        url: Option<String>,
        /// Publication date and time, RFC 3339 (2022-09-12T16:40:00+04:00).
        #[arg(long)]
        published: Option<String>,
        /// The article's language (ar, en); guessed from the text without it.
        #[arg(long)]
        lang: Option<String>,
        #[arg(long)]
        author: Option<String>,
        /// Replace DIR/ID.yaml if it exists.
        #[arg(long)]
        force: bool,
        /// FILE is a saved web page: the story's headline and paragraphs are
        /// taken from it, the site around them left out.
        #[arg(long)]
        html: bool,
    },
    /// Write a synthetic desk for benchmarks into OUT (new or empty): 100
    /// claims a file, Arabic text with English translations.
    Synth {
        /// Where to write it; made if missing, refused if it holds files.
        out: PathBuf,
        /// How many claims in all.
        #[arg(long, default_value_t = 100_000)]
        size: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// A newsroom's shape: a vocabulary that grows with the desk (names,
        /// numbers, dates, Arabic clitics), a sixth of the claims reviewed
        /// with a note and history, values double-quoted by another writer.
        #[arg(long)]
        newsroom: bool,
    },
    /// Publish verdicts: ClaimReview JSON-LD, a Markdown report, CSV or JSON.
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Write here (atomically) instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// claimreview: only this claim's review, as one object.
        #[arg(long)]
        claim: Option<String>,
        /// claimreview-html: write one snippet per review into this directory.
        #[arg(long)]
        out_dir: Option<PathBuf>,
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
        /// Sync the claims folder with this git remote by itself (see `sync`).
        #[arg(long)]
        sync: Option<String>,
        /// Seconds between syncs with --sync.
        #[arg(long, default_value_t = 60, requires = "sync")]
        sync_every: u64,
    },
    /// Make the claims folder's git repository ready to sync (a new one, or
    /// the one it is in): attributes, ignore list, the merge driver. Safe to
    /// run again; says what it did. With --bureau, names this clone's
    /// bureau, recorded with each change made here from then on.
    Init {
        /// The newsroom's shared repository, set as `origin` (the first
        /// machine's; a clone has it already).
        #[arg(long)]
        remote: Option<String>,
    },
    /// Commit the desk's changes (each reviewer the author), fetch, merge
    /// claim by claim, push; again if someone pushed first.
    Sync {
        /// The git remote to sync with.
        #[arg(default_value = "origin")]
        remote: String,
        /// Print what happened as one JSON object.
        #[arg(long)]
        json: bool,
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
        /// The file's path in the work tree (%P): a claim moved to another
        /// file on one side and changed on the other is found there.
        path: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum EvidenceChange {
    /// Add an http(s) URL to the claim's evidence.
    Add { id: String, url: String },
    /// Remove a URL from the claim's evidence.
    Remove { id: String, url: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// schema.org ClaimReview JSON-LD, one per claim with a verdict.
    Claimreview,
    /// One `<script type="application/ld+json">` file per review, to paste
    /// into the review's page (needs --out-dir).
    ClaimreviewHtml,
    /// An editor's report: per article, per source.
    Markdown,
    /// One row per claim, for spreadsheets.
    Csv,
    /// An Excel workbook: every cell text, Arabic right to left (needs --out
    /// unless standard output is not a terminal).
    Xlsx,
    /// Every claim with its article, source and history, for scripts.
    Json,
}
