//! A per-user cache of parsed claims files, so a desk of thousands of
//! articles opens in a fraction of the time YAML parsing takes.
//!
//! Each claims file that loaded cleanly is stored as JSON (several times
//! faster to parse than YAML) under `$XDG_CACHE_HOME/claimdesk/<dir hash>/`,
//! stamped with the file's size, modification time and inode. An entry is
//! used only while all three still match; anything else, including a cache
//! that cannot be read, falls back to the YAML. The cache never feeds a save:
//! saves always re-read the YAML under the lock.

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Stamp;
use crate::model::Document;

/// Bumped whenever the model or this format changes, so old entries are ignored.
const FORMAT: u32 = 1;

/// Where the cache for claims directory `dir` lives, if the user has a cache home.
pub fn dir_for(dir: &Path) -> Option<PathBuf> {
    if std::env::var_os("CLAIMDESK_NO_CACHE").is_some() {
        return None;
    }
    let home = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    let canonical = fs::canonicalize(dir).ok()?;
    let mut h = DefaultHasher::new();
    canonical.hash(&mut h);
    Some(home.join("claimdesk").join(format!("{:016x}", h.finish())))
}

#[derive(Deserialize)]
struct Entry {
    format: u32,
    stamp: Stamp,
    doc: Document,
}

#[derive(Serialize)]
struct EntryRef<'a> {
    format: u32,
    stamp: Stamp,
    doc: &'a Document,
}

fn entry_path(cache: &Path, file: &Path) -> Option<PathBuf> {
    Some(cache.join(format!("{}.json", file.file_name()?.to_string_lossy())))
}

/// The cached document for `file`, if the cache holds its current version.
pub fn get(cache: &Path, file: &Path, stamp: Stamp) -> Option<Document> {
    let bytes = fs::read(entry_path(cache, file)?).ok()?;
    let entry: Entry = serde_json::from_slice(&bytes).ok()?;
    (entry.format == FORMAT && entry.stamp == stamp).then_some(entry.doc)
}

/// Remember `doc` as the parse of `file` as it is now. Best effort: a cache
/// that cannot be written only means the next start parses YAML again.
pub fn put(cache: &Path, file: &Path, stamp: Stamp, doc: &Document) {
    let Some(path) = entry_path(cache, file) else {
        return;
    };
    // Private to the user: other users' desks are not theirs to read or plant.
    if fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(cache)
        .is_err()
    {
        return;
    }
    let entry = EntryRef {
        format: FORMAT,
        stamp,
        doc,
    };
    let Ok(bytes) = serde_json::to_vec(&entry) else {
        return;
    };
    // Atomic (readers never see half an entry) but not fsynced: it is only a cache.
    let Ok(mut tmp) = tempfile::NamedTempFile::new_in(cache) else {
        return;
    };
    if std::io::Write::write_all(&mut tmp, &bytes).is_ok() {
        let _ = tmp.persist(&path);
    }
}
