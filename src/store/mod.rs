//! Loading a claims directory, validating it, and saving one change safely.
//!
//! A change is applied under a lock to the file as it is on disk at that
//! moment (not to the copy in memory), and written atomically; so two
//! reviewers on the same file both keep their work, and a crash loses nothing
//! that was acknowledged.

mod atomic;
mod binary;
mod cache;
mod canonical;
mod change;
mod chunked;
mod error;
mod file;
mod head;
mod ids;
mod loading;
mod locate;
mod problem;
mod read;
mod save;
mod strict;
mod triage;
mod validate;
mod whole;
pub mod yaml;

use std::collections::HashMap;
use std::fs;
use std::io::{self, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::model::{Article, Claim, ClaimId, Document, Scale, Settings};
use crate::text::closest;

pub use atomic::{FileLock, lock_exclusive, lock_path};
#[cfg(test)]
pub(crate) use canonical::read as canonical_read;
pub use change::{Change, Conflict, Edit, Review, Seen, Triage, set_bureau};
pub use chunked::Chunked;
pub use error::StoreError;
pub use file::{ClaimsFile, Derived, Stamp};
pub use head::{ClaimHead, FileHead, Stroke};
pub use loading::{Arrival, Arrivals, Prepare};
pub use problem::{Problem, Problems};
use read::{claims_files, claims_files_of, load_many, load_one};
pub use save::{Saved, save};
pub use whole::Reading;

/// The claims files of `dir`, by name (YAML, not hidden, not the settings).
pub fn claims_files_in(dir: &Path) -> Result<Vec<PathBuf>, Problem> {
    claims_files(dir)
}

/// The largest claims file we read. A real article's file is tens of kilobytes;
/// this leaves room for a very large one while refusing to swallow a runaway file.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Files in the claims directory that are settings, not articles.
pub const SETTINGS_FILE: &str = "claimdesk.yaml";

/// Where a claim lives in the desk: its file, and its place in the file.
/// Eight bytes: a session's list holds one a claim it shows (a million
/// for a broad search at a million claims), and a server has dozens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClaimRef {
    file: u32,
    claim: u32,
}

impl ClaimRef {
    /// Claim `claim` of file `file` (a desk holds fewer than 2^32 of each).
    pub fn new(file: usize, claim: usize) -> ClaimRef {
        ClaimRef {
            file: file as u32,
            claim: claim as u32,
        }
    }

    pub fn file(self) -> usize {
        self.file as usize
    }

    pub fn claim(self) -> usize {
        self.claim as usize
    }
}

/// Every claims file of a directory, validated, with an index by claim id.
#[derive(Debug, Clone)]
pub struct Desk {
    pub dir: PathBuf,
    pub settings: Settings,
    /// In name order; shared in chunks by the desk's copies (the hub's views).
    pub files: Chunked<ClaimsFile>,
    /// The claims directory as last looked at, for the cheap change check.
    dir_stamp: Option<Stamp>,
    /// The thread filling the parse cache after start-up, if one runs.
    cache_writer: Arc<std::sync::Mutex<Option<std::thread::JoinHandle<()>>>>,
    /// The parse cache this desk reads and fills, if it has one.
    cache: Option<PathBuf>,
    /// Shared by the desk's copies (the hub's views); a copy is made only
    /// where a file gains, loses or moves claims.
    index: Arc<ids::ClaimIndex>,
}

/// The current time as RFC 3339 UTC, to the second.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

/// Read a file as UTF-8, refusing oversized files, and reporting where invalid bytes start.
fn read_text(path: &Path) -> Result<String, Problem> {
    let io_problem = |e: io::Error| Problem::file(path, format!("cannot read the file: {e}"));
    let file = fs::File::open(path).map_err(io_problem)?;
    let len = file.metadata().map_err(io_problem)?.len();
    if len > MAX_FILE_BYTES {
        return Err(Problem::file(
            path,
            format!(
                "the file is {len} bytes, over the {MAX_FILE_BYTES}-byte limit for one claims file; \
                 split the article's claims over several files"
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // Read one byte past the limit so a file that grew since the check is still caught.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_problem)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Problem::file(
            path,
            "the file grew past the size limit while being read",
        ));
    }
    // The SIMD check (and a copy, at memory speed) rather than std's
    // check, which is several times slower on Arabic; std's only to say
    // where a bad file goes wrong.
    if let Ok(text) = simdutf8::basic::from_utf8(&bytes) {
        return Ok(text.to_owned());
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let col = good.len() - good.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
        Problem::at(
            path,
            line,
            col,
            "the file is not valid UTF-8; save it as UTF-8 (claims files are always UTF-8)",
        )
    })
}

/// Read and validate one claims file on its own.
/// `scale`, when given, is the set of statuses claims may have.
pub fn load_file(path: &Path, scale: Option<&Scale>) -> Result<Document, Problems> {
    let text = read_text(path).map_err(Problems::one)?;
    validate::parse_document(path, &text, scale)
}

/// `load_file` for the desk's loading: the article's paragraphs counted
/// and checked, not kept (see `validate::parse_document_lean`).
fn load_file_lean(path: &Path, scale: Option<&Scale>) -> Result<Document, Problems> {
    let text = read_text(path).map_err(Problems::one)?;
    validate::parse_document_lean(path, &text, scale)
}

/// Parse and validate the text of one claims file; `path` is only for messages.
pub fn parse_document(
    path: &Path,
    text: &str,
    scale: Option<&Scale>,
) -> Result<Document, Problems> {
    validate::parse_document(path, text, scale)
}

/// Any small YAML file (a server's reviewers, say) as `T`, read with the same
/// limits and located errors as claims files.
pub fn load_yaml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Problems> {
    let text = read_text(path).map_err(Problems::one)?;
    validate::parse_typed(path, &text)
}

/// The desk settings in `dir`, or the defaults when there is no settings file.
pub fn load_settings(dir: &Path) -> Result<Settings, Problems> {
    let path = dir.join(SETTINGS_FILE);
    if !path.exists() {
        return Ok(Settings::default());
    }
    let text = read_text(&path).map_err(Problems::one)?;
    validate::parse_settings(&path, &text)
}

/// Write any file the way claims files are written: temp, fsync, rename.
pub fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    atomic::replace_file(path, bytes)
}

/// The canonical text of a document, as the desk writes it.
pub fn render(doc: &Document) -> Result<String, String> {
    Ok(yaml::emit(&yaml::to_value(doc)?))
}

impl Desk {
    /// Load and validate every claims file in `dir`, reporting every problem found.
    pub fn load(dir: &Path) -> Result<Desk, Problems> {
        Desk::load_from(dir, None)
    }

    /// Like `load`, reading unchanged files from (and adding new parses to)
    /// the user's cache of parsed files (see `cache`); for the desk and CLI.
    pub fn load_cached(dir: &Path) -> Result<Desk, Problems> {
        Desk::load_from(dir, cache::dir_for(dir).as_deref())
    }

    fn load_from(dir: &Path, cache: Option<&Path>) -> Result<Desk, Problems> {
        let paths = claims_files_of(dir)?;
        Desk::load_paths(dir, cache, &paths, true)
    }

    /// Load `paths` of claims directory `dir`; `whole` when they are all of
    /// its files (a desk of no claims at all is then a problem).
    fn load_paths(
        dir: &Path,
        cache: Option<&Path>,
        paths: &[PathBuf],
        whole: bool,
    ) -> Result<Desk, Problems> {
        let mut problems = Vec::new();
        let settings = load_settings(dir).unwrap_or_else(|p| {
            problems.extend(p.0);
            Settings::default()
        });
        let mut files = Vec::new();
        let mut to_cache: Vec<cache::ToCache> = Vec::new();
        for (path, result) in paths
            .iter()
            .zip(load_many(cache, &settings.rating_scale, paths))
        {
            match result {
                Ok(loaded) => files.push(loaded.into_file(path, &mut to_cache)),
                Err(p) => problems.extend(p.0),
            }
        }
        // Fill and tend the cache off the start-up path: the first frame does not wait for it.
        let mut cache_writer = None;
        if let Some(c) = cache {
            let c = c.to_path_buf();
            let to_cache = if problems.is_empty() {
                to_cache
            } else {
                Vec::new()
            };
            let claims_dir = dir.to_path_buf();
            cache_writer = Some(std::thread::spawn(move || {
                cache::fill(&c, &claims_dir, to_cache)
            }));
        }
        let mut desk = Desk {
            dir: dir.to_path_buf(),
            settings,
            files: files.into_iter().collect(),
            dir_stamp: Stamp::of(dir),
            cache_writer: Arc::new(std::sync::Mutex::new(cache_writer)),
            cache: cache.map(Path::to_path_buf),
            index: Arc::default(),
        };
        problems.extend(desk.reindex());
        if whole && problems.is_empty() && desk.index.is_empty() {
            problems.push(Problem::file(
                dir,
                "the claims files hold no claims; add claims under `claims:`",
            ));
        }
        if problems.is_empty() {
            Ok(desk)
        } else {
            Err(Problems(validate::capped(problems)))
        }
    }

    /// Rebuild the id index; a claim id defined twice across files is a problem.
    fn reindex(&mut self) -> Vec<Problem> {
        self.index = Arc::default();
        self.index_from(0)
    }

    /// Add the claims of files `from..` to the id index (files that just
    /// arrived); an id already taken stays with the file that had it first.
    fn index_from(&mut self, from: usize) -> Vec<Problem> {
        let mut problems = Vec::new();
        let arriving: usize = self
            .files
            .iter()
            .skip(from)
            .map(|f| f.head.claims.len())
            .sum();
        let index = Arc::make_mut(&mut self.index);
        index.reserve(&self.files, arriving);
        // Each file's text is read (to locate duplicates) at most once.
        let mut texts: HashMap<usize, String> = HashMap::new();
        for (fi, file) in self.files.iter().enumerate().skip(from) {
            for (ci, claim) in file.head.claims.iter().enumerate() {
                let here = ClaimRef::new(fi, ci);
                if let Err(first) = index.insert(&self.files, here) {
                    let other = &self.files[first.file()].path;
                    let line = if problems.len() <= validate::MAX_PROBLEMS {
                        let text = texts
                            .entry(fi)
                            .or_insert_with(|| fs::read_to_string(&file.path).unwrap_or_default());
                        locate::Locator::new(text).item_line("claims", &claim.id.0, ci)
                    } else {
                        None
                    };
                    problems.push(Problem::maybe_at(
                        &file.path,
                        line,
                        format!(
                            "claim id `{}` is already used in {}; claim ids must be unique across \
                             all files: rename one of them",
                            claim.id,
                            other.display()
                        ),
                    ));
                }
            }
        }
        problems
    }

    /// Re-point the index at one file's claims after that file was re-read.
    /// Someone may have added or removed claims in it; other files are
    /// unchanged, so this costs the file's size, not the desk's.
    fn reindex_file(&mut self, fi: usize, old: &FileHead) {
        let new = &self.files[fi].head.claims;
        if new.len() == old.claims.len() && new.iter().zip(&old.claims).all(|(n, o)| n.id == o.id) {
            // The same ids at the same places (a status or a note changed).
            return;
        }
        let index = Arc::make_mut(&mut self.index);
        index.remove_file(fi, old);
        for claim in 0..self.files[fi].head.claims.len() {
            // An id that another file already holds stays with that file; `check` reports it.
            let _ = index.insert(&self.files, ClaimRef::new(fi, claim));
        }
    }

    /// Wait until the parse cache is written: short-lived commands call this
    /// before exiting, so their parse is not wasted.
    pub fn finish_cache(&self) {
        let handle = self.cache_writer.lock().ok().and_then(|mut h| h.take());
        if let Some(h) = handle {
            let _ = h.join();
        }
    }

    pub fn claim_count(&self) -> usize {
        self.index.len()
    }

    /// All claims in desk order: files by name, claims in file order.
    pub fn claims(&self) -> impl Iterator<Item = (ClaimRef, &Claim)> {
        self.claims_in(0..self.files.len())
    }

    /// The claims of files `files`, in desk order.
    pub fn claims_in(&self, files: Range<usize>) -> impl Iterator<Item = (ClaimRef, &Claim)> {
        let start = files.start;
        let files = self.files.range(files);
        files.zip(start..).flat_map(|(f, fi)| {
            let claims = f.doc().map(|d| d.claims.as_slice()).unwrap_or_default();
            claims
                .iter()
                .enumerate()
                .map(move |(ci, c)| (ClaimRef::new(fi, ci), c))
        })
    }

    /// The places of the claims of files `files`, in desk order (from
    /// their heads: no document is read back).
    pub fn refs_in(&self, files: Range<usize>) -> impl Iterator<Item = ClaimRef> + '_ {
        let start = files.start;
        let files = self.files.range(files);
        files
            .zip(start..)
            .flat_map(|(f, fi)| (0..f.head.claims.len()).map(move |ci| ClaimRef::new(fi, ci)))
    }

    /// Every claim's head, in desk order.
    pub fn heads(&self) -> impl Iterator<Item = (ClaimRef, &ClaimHead)> {
        (self.files.iter().enumerate()).flat_map(|(fi, f)| {
            (f.head.claims.iter().enumerate()).map(move |(ci, h)| (ClaimRef::new(fi, ci), h))
        })
    }

    /// Claim `r` whole: its file's document is read back the first time.
    pub fn get(&self, r: ClaimRef) -> Option<&Claim> {
        self.files.get(r.file())?.doc()?.claims.get(r.claim())
    }

    /// Claim `r`'s head: always in memory.
    pub fn head(&self, r: ClaimRef) -> Option<&ClaimHead> {
        self.files.get(r.file())?.head.claims.get(r.claim())
    }

    pub fn find(&self, id: &ClaimId) -> Option<ClaimRef> {
        self.index.get(&self.files, id)
    }

    /// Where the search index may keep what it derives from file `file`
    /// as the desk holds it; None for a desk without a parse cache.
    pub fn derived(&self, file: usize) -> Option<Derived> {
        let f = self.files.get(file)?;
        Some(Derived {
            cache: self.cache.clone()?,
            file: f.path.to_path_buf(),
            stamp: f.stamp?,
        })
    }

    /// Claim `r`'s document, without its article's paragraphs (`article`).
    pub fn doc(&self, r: ClaimRef) -> Option<&Document> {
        self.files.get(r.file())?.doc()
    }

    /// Claim `r`'s file's head (its article, its sources).
    pub fn file_head(&self, r: ClaimRef) -> Option<&FileHead> {
        self.files.get(r.file()).map(|f| f.head.as_ref())
    }

    /// Where cold documents of this desk are read back from.
    pub fn reading(&self) -> Arc<Reading> {
        Arc::new(Reading {
            cache: self.cache.clone(),
            scale: self.settings.rating_scale.clone(),
        })
    }

    /// Let go of the document of file `fi` (its head stays): it is read
    /// back when next asked for.
    pub fn cool(&mut self, fi: usize, reading: &Arc<Reading>) {
        if let Some(f) = self.files.get_mut(fi) {
            *f = f.cooled(reading);
        }
    }

    /// Claim `r`'s article whole, with its paragraphs: read back from its
    /// file the first time (a few milliseconds), or why it could not be.
    pub fn article(&self, r: ClaimRef) -> Result<&Article, &str> {
        match self.files.get(r.file()) {
            Some(f) => f.article(&self.settings.rating_scale),
            None => Err("no such claim"),
        }
    }

    /// Look a claim up by id, or say which id was probably meant.
    pub fn resolve(&self, id: &str) -> Result<ClaimRef, StoreError> {
        self.find(&ClaimId(id.into()))
            .ok_or_else(|| StoreError::UnknownClaim {
                id: ClaimId(id.into()),
                suggestion: closest(
                    id,
                    self.index
                        .places()
                        .filter_map(|r| Some(self.head(r)?.id.0.as_str())),
                )
                .map(str::to_string),
            })
    }

    /// Apply one change durably: lock, re-read the file from disk, change the
    /// claim, write atomically, and take the fresh file as our copy. The
    /// claim as saved; `None` when the change took it out (a rejected candidate).
    pub fn apply(&mut self, change: &Change) -> Result<Option<&Claim>, StoreError> {
        let at = self.resolve(&change.claim.0)?;
        let path = Arc::clone(&self.files[at.file()].path);
        let mut taken = None;
        let saved = save(&path, &self.settings.rating_scale, change, &mut |f| {
            taken = Some(f)
        });
        if let Some(file) = taken {
            self.replace_file(at.file(), file);
        }
        match saved? {
            Saved::At(claim) => Ok(self.get(ClaimRef::new(at.file(), claim))),
            Saved::Removed => Ok(None),
        }
    }

    /// Take `file` as the new copy of file `fi` (read again, or saved);
    /// what it was before.
    pub fn replace_file(&mut self, fi: usize, file: ClaimsFile) -> Arc<FileHead> {
        let old = std::mem::replace(&mut self.files[fi], file);
        self.reindex_file(fi, &old.head);
        Arc::clone(&old.head)
    }

    /// Take in `file`, new on disk, at its place `at` in desk order; any
    /// claim id it shares with another file is a problem, as at loading.
    pub fn insert_file(&mut self, at: usize, file: ClaimsFile) -> Vec<Problem> {
        self.files.insert(at.min(self.files.len()), file);
        self.reindex()
    }

    /// Where the file at `path` is in the desk (`Ok`), or would go in name
    /// order (`Err`): the desk's files are one directory's, sorted by name.
    pub fn position(&self, path: &Path) -> Result<usize, usize> {
        let name = path.file_name();
        self.files
            .binary_search_by(|f| f.path.file_name().cmp(&name))
    }

    /// Drop file `fi` (gone from disk).
    pub fn remove_file(&mut self, fi: usize) -> Option<ClaimsFile> {
        if fi >= self.files.len() {
            return None;
        }
        let gone = self.files.remove(fi)?;
        let _ = self.reindex();
        Some(gone)
    }

    /// Take in files that arrived (progressive loading) after the ones
    /// held, `to_come` more files still on their way: the problems are ids
    /// an earlier file already holds.
    pub fn append_files(&mut self, files: Vec<ClaimsFile>, to_come: usize) -> Vec<Problem> {
        let from = self.files.len();
        self.files.extend(files);
        // Room for the claims still to come too, at this many a file:
        // growing the table rehashes every id, a cache miss each.
        let arriving: usize = (self.files.range(from..self.files.len()))
            .map(|f| f.head.claims.len())
            .sum();
        let per_file = (self.index.len() + arriving).div_ceil(self.files.len().max(1));
        Arc::make_mut(&mut self.index).reserve(&self.files, arriving + to_come * per_file);
        self.index_from(from)
    }

    /// The settings as read again from disk.
    pub fn set_settings(&mut self, settings: Settings) {
        self.settings = settings;
    }

    /// Pick up changes other reviewers made on disk. Files that changed are
    /// re-read; a file that is mid-edit and invalid keeps its last good copy.
    pub fn refresh(&mut self) -> Refresh {
        let mut outcome = Refresh::default();
        let paths = match claims_files(&self.dir) {
            Ok(p) => p,
            Err(p) => {
                outcome.problems.push(p);
                return outcome;
            }
        };
        let mut next = Vec::with_capacity(paths.len());
        for path in paths {
            let stamp = Stamp::of(&path);
            let known = self.files.iter().position(|f| *f.path == *path);
            match known {
                Some(i) if self.files[i].stamp == stamp => next.push(self.files[i].clone()),
                _ => match load_file(&path, Some(&self.settings.rating_scale)) {
                    Ok(doc) => {
                        outcome.changed = true;
                        next.push(ClaimsFile::new(path.into(), doc, stamp));
                    }
                    Err(p) => {
                        outcome.problems.extend(p.0);
                        if let Some(i) = known {
                            next.push(self.files[i].clone());
                        }
                    }
                },
            }
        }
        if next.len() != self.files.len() {
            outcome.changed = true;
        }
        if outcome.changed {
            self.files = next.into_iter().collect();
            outcome.problems.extend(self.reindex());
        }
        outcome
    }

    /// Whether any file changed on disk since we read it (cheap: stat only).
    /// A cheap hint, one stat: whether the directory changed since the last
    /// look. Saving by rename (as claimdesk, and most editors, do) changes
    /// it; an editor writing a file in place does not, so callers still do
    /// the full check now and then.
    pub fn dir_changed(&mut self) -> bool {
        let now = Stamp::of(&self.dir);
        let changed = now != self.dir_stamp;
        self.dir_stamp = now;
        changed
    }

    pub fn changed_on_disk(&self) -> bool {
        match claims_files(&self.dir) {
            Ok(paths) => {
                paths.len() != self.files.len()
                    || self
                        .files
                        .iter()
                        .zip(&paths)
                        .any(|(f, p)| *f.path != **p || f.stamp != Stamp::of(p))
            }
            Err(_) => false,
        }
    }
}

/// What a refresh found.
#[derive(Debug, Default)]
pub struct Refresh {
    pub changed: bool,
    pub problems: Vec<Problem>,
}
