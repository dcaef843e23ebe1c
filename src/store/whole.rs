//! A claims file's document whole (every claim with its texts, note,
//! evidence and history; the article without its paragraphs), kept while
//! it is in use and read back when it is asked for again: from the parse
//! cache, which holds that very version, else from the YAML itself.
//!
//! A file just read or saved is "hot" (its document is at hand); one that
//! arrived while a large desk loaded, or that nobody looked at for a while,
//! is "cold" (only its head is in memory). Views of the desk never change,
//! so a file is made cold by a new view that holds a new, empty slot for
//! it; views still holding the old slot keep its document until they go.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use super::{Stamp, cache, head::FileHead, load_file_lean};
use crate::model::{Document, Scale};

/// Where a desk's cold documents are read back from.
#[derive(Debug)]
pub struct Reading {
    pub cache: Option<PathBuf>,
    pub scale: Scale,
}

#[derive(Debug)]
pub(super) struct Whole {
    doc: OnceLock<Option<Arc<Document>>>,
    /// When it was last asked for (milliseconds since the process began).
    used: AtomicU64,
    /// `None` for a hot file, whose document is set at its making.
    from: Option<Arc<Reading>>,
}

/// Milliseconds since the first call: a cheap clock for "last used".
fn now() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_millis() as u64
}

impl Whole {
    pub(super) fn hot(doc: Arc<Document>) -> Whole {
        Whole {
            doc: OnceLock::from(Some(doc)),
            used: AtomicU64::new(now()),
            from: None,
        }
    }

    pub(super) fn cold(from: &Arc<Reading>) -> Whole {
        Whole {
            doc: OnceLock::new(),
            used: AtomicU64::new(0),
            from: Some(Arc::clone(from)),
        }
    }

    /// The document, shared, if it is in memory.
    pub(super) fn shared(&self) -> Option<Arc<Document>> {
        self.doc.get().cloned().flatten()
    }

    /// Whether the document is in memory.
    pub(super) fn is_hot(&self) -> bool {
        self.doc.get().is_some()
    }

    /// When it was last asked for.
    pub(super) fn last_used(&self) -> u64 {
        self.used.load(Ordering::Relaxed)
    }

    /// The document of the file at `path` as it was at `stamp` (whose head
    /// is `head`), read back the first time it is asked for.
    pub(super) fn get(
        &self,
        path: &Path,
        stamp: Option<Stamp>,
        head: &FileHead,
    ) -> Option<&Document> {
        self.used.store(now(), Ordering::Relaxed);
        let doc = self.doc.get_or_init(|| {
            let from = self.from.as_ref()?;
            read_back(from, path, stamp, head).map(Arc::new)
        });
        doc.as_deref()
    }
}

/// The document of `path` at `stamp`: the parse cache holds that version
/// exactly. Without it, the YAML as it is now, if it still holds the same
/// claims in the same places (a newer version of them, which the hub's
/// watcher is about to bring in).
fn read_back(
    from: &Reading,
    path: &Path,
    stamp: Option<Stamp>,
    head: &FileHead,
) -> Option<Document> {
    if let (Some(c), Some(s)) = (&from.cache, stamp)
        && let Some(doc) = cache::get(c, path, s)
    {
        return Some(doc);
    }
    let mut doc = load_file_lean(path, Some(&from.scale)).ok()?;
    let same = doc.claims.len() == head.claims.len()
        && (doc.claims.iter().zip(&head.claims)).all(|(c, h)| c.id == h.id);
    doc.article.paragraphs = Vec::new();
    same.then_some(doc)
}
