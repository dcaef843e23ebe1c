//! One claims file as the desk holds it: where it is, which version of
//! it was read (its stamp), its head and its document (see `head`,
//! `whole`), and where what other layers derive from that version is kept.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use super::head::FileHead;
use super::whole::{Reading, Whole};
use super::{cache, load_file};
use crate::model::{Article, Document, Scale};

/// What we remember of a file on disk, to notice when someone else changes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub(super) len: u64,
    pub(super) modified: Option<SystemTime>,
    pub(super) inode: u64,
}

impl Stamp {
    pub fn of(path: &Path) -> Option<Stamp> {
        let m = fs::metadata(path).ok()?;
        Some(Stamp {
            len: m.len(),
            modified: m.modified().ok(),
            inode: m.ino(),
        })
    }
}

/// One loaded claims file: its head, always in memory, and its document
/// whole, kept while in use (see `whole`). One reference-counted value:
/// every view of the desk holds every file, and a view is made at each
/// change, so a file costs one count to copy and to let go.
#[derive(Debug, Clone)]
pub struct ClaimsFile(Arc<FileParts>);

impl std::ops::Deref for ClaimsFile {
    type Target = FileParts;
    fn deref(&self) -> &FileParts {
        &self.0
    }
}

#[derive(Debug)]
pub struct FileParts {
    pub path: Arc<Path>,
    pub stamp: Option<Stamp>,
    /// What lists, filters, counts and orders need of the file.
    pub head: Arc<FileHead>,
    /// The document whole, without its article's paragraphs (a million
    /// claims' articles are 140 MB that only the article view reads).
    whole: Arc<Whole>,
    /// The article with its paragraphs, read back from the file the first
    /// time someone opens it; shared by the desk's copies.
    article: Arc<OnceLock<Result<Article, String>>>,
}

impl ClaimsFile {
    /// `doc` as read from `path` at `stamp`, its paragraphs let go; its
    /// document kept (a file just read or saved is about to be shown).
    pub fn new(path: Arc<Path>, mut doc: Document, stamp: Option<Stamp>) -> ClaimsFile {
        doc.article.paragraphs = Vec::new();
        ClaimsFile(Arc::new(FileParts {
            path,
            stamp,
            head: Arc::new(FileHead::of(&doc)),
            whole: Arc::new(Whole::hot(Arc::new(doc))),
            article: Arc::default(),
        }))
    }

    /// The same file with only its head in memory; its document is read
    /// back (from `reading`) when asked for.
    pub fn cooled(&self, reading: &Arc<Reading>) -> ClaimsFile {
        ClaimsFile(Arc::new(FileParts {
            path: Arc::clone(&self.path),
            stamp: self.stamp,
            head: Arc::clone(&self.head),
            whole: Arc::new(Whole::cold(reading)),
            article: Arc::default(),
        }))
    }

    /// The same file, found at `path` (a test moving files about).
    pub fn at(&self, path: Arc<Path>) -> ClaimsFile {
        ClaimsFile(Arc::new(FileParts {
            path,
            stamp: self.stamp,
            head: Arc::clone(&self.head),
            whole: Arc::clone(&self.whole),
            article: Arc::default(),
        }))
    }

    /// The document, shared, if it is in memory (the cache writer writes it).
    pub(super) fn shared_doc(&self) -> Option<Arc<Document>> {
        self.whole.shared()
    }

    /// Whether its document is in memory, and when it was last asked for.
    pub fn warmth(&self) -> (bool, u64) {
        (self.whole.is_hot(), self.whole.last_used())
    }

    /// The document whole (read back the first time, if the file is
    /// cold); `None` if it can no longer be read as it was.
    pub fn doc(&self) -> Option<&Document> {
        self.whole.get(&self.path, self.stamp, &self.head)
    }

    /// The article whole: read back from the file on first use, as it is
    /// on disk then (the paragraphs a claim names are checked when it loads).
    pub(super) fn article(&self, scale: &Scale) -> Result<&Article, &str> {
        let read = || match load_file(&self.path, Some(scale)) {
            Ok(doc) => Ok(doc.article),
            Err(p) => Err(format!("the article's text could not be read back: {p}")),
        };
        self.article
            .get_or_init(read)
            .as_ref()
            .map_err(String::as_str)
    }
}

/// Where another layer keeps what it derives from one version of a claims
/// file (the search index keeps its folded text): beside the file's entry
/// in the parse cache, read back only for that same version, so it always
/// matches the document the desk holds.
#[derive(Debug, Clone)]
pub struct Derived {
    pub(super) cache: PathBuf,
    pub(super) file: PathBuf,
    pub(super) stamp: Stamp,
}

impl Derived {
    /// Where what derives from `file`'s version is kept in the cache `cache`.
    pub(super) fn of(cache: &Path, file: &ClaimsFile) -> Option<Derived> {
        Some(Derived {
            cache: cache.to_path_buf(),
            file: file.path.to_path_buf(),
            stamp: file.stamp?,
        })
    }

    /// What was kept as `kind` (a name: the layer checks its own format).
    pub fn get(&self, kind: &str) -> Option<Vec<u8>> {
        cache::get_derived(&self.cache, &self.file, self.stamp, kind)
    }

    /// Keep `payload` as `kind` (best effort: a cache may not be writable).
    pub fn put(&self, kind: &str, payload: &[u8]) {
        cache::put_derived(&self.cache, &self.file, self.stamp, kind, payload);
    }
}
