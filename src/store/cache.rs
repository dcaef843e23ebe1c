//! A per-user cache of parsed claims files, so a desk of thousands of
//! articles opens in a fraction of the time YAML parsing takes.
//!
//! Each claims file that loaded cleanly is stored as the desk keeps it,
//! without its article's paragraphs (the article view reads those from the
//! YAML), in a binary form (see `binary`; it reads back many times faster
//! than YAML) under
//! `$XDG_CACHE_HOME/claimdesk/<dir hash>/`, behind a header with a magic
//! number, the format number, the file's size, modification time and inode,
//! and a CRC-32 of the rest. An entry is used only while all of these still
//! match; anything else, including a cache that cannot be read, falls back
//! to the YAML. The cache never feeds a save: saves always re-read the YAML
//! under the lock.
//!
//! The cache stays bounded: each directory's cache names the claims
//! directory it is for, and is dropped once that directory is gone; past
//! `LIMIT` in all, the least recently used directories' caches go first.

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::time::SystemTime;

use super::{Stamp, binary};
use crate::model::Document;

/// Bumped whenever the model or this format changes, so old entries are
/// ignored; and whenever reading refuses files it took before (6: a key
/// said twice), so a file an older version took is read again and refused.
const FORMAT: u32 = 7;

/// What every entry starts with.
const MAGIC: &[u8; 8] = b"CLAIMDSK";

/// Magic, format, stamp (length, mtime seconds and nanoseconds, whether
/// there is an mtime, inode), CRC-32 and length of the payload.
const HEADER: usize = 8 + 4 + 8 + 8 + 4 + 1 + 8 + 4 + 8;

/// The most all caches together may take, in bytes.
pub const LIMIT: u64 = 1024 * 1024 * 1024;

/// In each directory's cache: the claims directory it is for. Its mtime
/// is when the desk last used the cache.
const MARKER: &str = "dir";

/// Where the caches of every claims directory live, if the user has a cache home.
fn root() -> Option<PathBuf> {
    if std::env::var_os("CLAIMDESK_NO_CACHE").is_some() {
        return None;
    }
    let home = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(home.join("claimdesk"))
}

/// Where the cache for claims directory `dir` lives, if the user has a
/// cache home whose `claimdesk` folder is the desk's own (or not made yet).
pub fn dir_for(dir: &Path) -> Option<PathBuf> {
    let canonical = fs::canonicalize(dir).ok()?;
    let mut h = DefaultHasher::new();
    canonical.hash(&mut h);
    let root = root()?;
    if fs::symlink_metadata(&root).is_ok() && !is_private_dir(&root) {
        return None;
    }
    Some(root.join(cache_name(h.finish())))
}

/// The name of a claims directory's cache: 16 hex digits, so that only
/// what the desk made is ever taken for a cache and pruned.
fn cache_name(hash: u64) -> String {
    format!("{hash:016x}")
}

fn is_cache_name(name: &std::ffi::OsStr) -> bool {
    let n = name.as_encoded_bytes();
    n.len() == 16 && n.iter().all(|b| b.is_ascii_hexdigit())
}

/// Whether `dir` is a directory to keep a cache in: a real directory (a
/// link is never followed), owned by this user, that no one else may
/// read or write into.
fn is_private_dir(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    fs::symlink_metadata(dir).is_ok_and(|m| {
        // SAFETY: geteuid cannot fail and touches no memory.
        let me = unsafe { libc::geteuid() };
        m.is_dir() && m.uid() == me && m.mode() & 0o077 == 0
    })
}

/// The biggest entry the cache reads back: a claims file is at most 16 MiB
/// of YAML, and what is derived from it is of the same order.
const MAX_ENTRY: u64 = 4 * super::MAX_FILE_BYTES;

/// An entry's bytes: a regular file only, opened without following a
/// link and without waiting (a FIFO planted there is not read), and not
/// bigger than an entry can be.
fn read_entry(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let f = fs::File::options()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .ok()?;
    let m = f.metadata().ok()?;
    if !m.is_file() || m.len() > MAX_ENTRY {
        return None;
    }
    let mut bytes = Vec::with_capacity(m.len() as usize);
    f.take(MAX_ENTRY + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= MAX_ENTRY).then_some(bytes)
}

/// Note that `cache` (the cache of claims directory `dir`) was just used;
/// if it `grew`, drop what the cache root should not keep (see `prune`):
/// the caches only grow when entries are written, and a start that wrote
/// none need not look at them all.
pub fn used(cache: &Path, dir: &Path, grew: bool) {
    if make_private_dir(cache)
        && let Ok(canonical) = fs::canonicalize(dir)
    {
        // Rewritten each time (a new file renamed over it, never written
        // through a link): the write is the "last used" time.
        if let Ok(mut tmp) = tempfile::NamedTempFile::new_in(cache)
            && std::io::Write::write_all(&mut tmp, canonical.as_os_str().as_encoded_bytes()).is_ok()
        {
            let _ = tmp.persist(cache.join(MARKER));
        }
    }
    if grew && let Some(root) = cache.parent() {
        prune(root, LIMIT, Some(cache));
    }
}

/// Drop the caches of claims directories that no longer exist (or that do
/// not say which directory they are for), then, while the rest take more
/// than `limit` bytes, the least recently used. The cache in use (`keep`)
/// stays whatever its size: a desk of a million claims has a cache of
/// hundreds of megabytes, and dropping it would only make the next start cold.
pub fn prune(root: &Path, limit: u64, keep: Option<&Path>) {
    // A root that is a link, or not this user's own, holds others' things.
    if !is_private_dir(root) {
        return;
    }
    let Ok(entries) = fs::read_dir(root) else {
        return;
    };
    let mut kept: Vec<(std::time::SystemTime, u64, PathBuf)> = Vec::new();
    for e in entries.flatten() {
        let path = e.path();
        // Only what the desk made: named as it names caches, a private
        // directory (never a link out of the cache), with its marker.
        let marker = path.join(MARKER);
        let marked = fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file());
        if !is_cache_name(&e.file_name()) || !is_private_dir(&path) || !marked {
            continue;
        }
        let owner =
            read_entry(&marker).map(|b| PathBuf::from(String::from_utf8_lossy(&b).into_owned()));
        let last_used = fs::symlink_metadata(&marker)
            .and_then(|m| m.modified())
            .ok();
        match (owner, last_used) {
            (Some(dir), Some(at)) if dir.is_dir() => kept.push((at, size_of(&path), path)),
            _ => {
                let _ = fs::remove_dir_all(&path);
            }
        }
    }
    let mut total: u64 = kept.iter().map(|(_, n, _)| n).sum();
    kept.sort();
    for (_, n, path) in kept {
        if total <= limit {
            break;
        }
        if keep.is_some_and(|k| k == path) {
            continue;
        }
        if fs::remove_dir_all(&path).is_ok() {
            total = total.saturating_sub(n);
        }
    }
}

/// The bytes of the files in `dir` and in its directories (derived
/// entries), not following links.
fn size_of(dir: &Path) -> u64 {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let size = |e: fs::DirEntry| {
        let m = fs::symlink_metadata(e.path()).ok()?;
        Some(if m.is_dir() {
            size_of(&e.path())
        } else {
            m.len()
        })
    };
    entries.flatten().filter_map(size).sum()
}

/// `dir`, made private to the user if it is not there yet: other users'
/// desks are not theirs to read or plant. Whether it is (a link, or a
/// directory someone else owns or may enter, is not used).
fn make_private_dir(dir: &Path) -> bool {
    if !is_private_dir(dir) {
        let _ = fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir);
    }
    is_private_dir(dir)
}

fn entry_path(cache: &Path, file: &Path) -> Option<PathBuf> {
    Some(cache.join(format!("{}.bin", file.file_name()?.to_string_lossy())))
}

/// The header of an entry for a file of this `stamp` holding `payload`.
fn header(stamp: Stamp, payload: &[u8]) -> Vec<u8> {
    let since = stamp
        .modified
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok());
    let mut h = Vec::with_capacity(HEADER);
    h.extend_from_slice(MAGIC);
    h.extend_from_slice(&FORMAT.to_le_bytes());
    h.extend_from_slice(&stamp.len.to_le_bytes());
    h.extend_from_slice(&since.map_or(0, |d| d.as_secs()).to_le_bytes());
    h.extend_from_slice(&since.map_or(0, |d| d.subsec_nanos()).to_le_bytes());
    h.push(u8::from(since.is_some()));
    h.extend_from_slice(&stamp.inode.to_le_bytes());
    h.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    h.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    h
}

/// The cached document for `file`, if the cache holds its current version
/// whole (right format, same stamp, checksum and length as written).
pub fn get(cache: &Path, file: &Path, stamp: Stamp) -> Option<Document> {
    let bytes = read_entry(&entry_path(cache, file)?)?;
    binary::decode(payload_of(&bytes, stamp)?)
}

/// The payload of an entry's `bytes`, if its header is the one written
/// for `stamp` and that payload (format, version, checksum, length).
fn payload_of(bytes: &[u8], stamp: Stamp) -> Option<&[u8]> {
    let (head, payload) = bytes.split_at_checked(HEADER)?;
    (head == header(stamp, payload).as_slice()).then_some(payload)
}

/// Remember `doc` as the parse of `file` as it is now. Best effort: a cache
/// that cannot be written only means the next start parses YAML again.
pub fn put(cache: &Path, file: &Path, stamp: Stamp, doc: &Document) {
    let mut payload = Vec::new();
    binary::encode(doc, &mut payload);
    if let Some(path) = entry_path(cache, file) {
        write_entry(cache, &path, stamp, &payload);
    }
}

/// What another layer derived from `file` at `stamp` and keeps as `kind`
/// (a name; the layer checks its own format inside), if the cache holds it
/// whole for that version.
pub fn get_derived(cache: &Path, file: &Path, stamp: Stamp, kind: &str) -> Option<Vec<u8>> {
    let mut bytes = read_entry(&derived_path(cache, file, kind)?)?;
    payload_of(&bytes, stamp)?;
    bytes.drain(..HEADER);
    Some(bytes)
}

/// Keep `payload`, derived from `file` at `stamp`, as `kind` (best effort).
pub fn put_derived(cache: &Path, file: &Path, stamp: Stamp, kind: &str, payload: &[u8]) {
    if let Some(path) = derived_path(cache, file, kind)
        && let Some(dir) = path.parent()
    {
        write_entry(dir, &path, stamp, payload);
    }
}

/// A directory of its own for each kind: a first start writes the parse
/// entries and the derived ones from different threads, and creating
/// files in one directory takes its lock (at a million claims, 7% of the
/// CPU time of a cold start waited on it).
fn derived_path(cache: &Path, file: &Path, kind: &str) -> Option<PathBuf> {
    let name = file.file_name()?.to_string_lossy();
    Some(cache.join(kind).join(format!("{name}.bin")))
}

/// Write an entry at `path` in directory `cache`: the header, then `payload`.
fn write_entry(cache: &Path, path: &Path, stamp: Stamp, payload: &[u8]) {
    if !make_private_dir(cache) {
        return;
    }
    let mut bytes = header(stamp, payload);
    bytes.extend_from_slice(payload);
    // Atomic (readers never see half an entry) but not fsynced: it is only a cache.
    let Ok(mut tmp) = tempfile::NamedTempFile::new_in(cache) else {
        return;
    };
    if std::io::Write::write_all(&mut tmp, &bytes).is_ok() {
        let _ = tmp.persist(path);
    }
}

/// A file parsed from YAML, to add to the parse cache: its path, the
/// version parsed, and the document.
pub type ToCache = (PathBuf, Stamp, Arc<Document>);

/// Write `to_cache` into the cache `c` of claims directory `dir` (off the
/// start-up path: nothing waits for it).
pub fn fill(c: &Path, dir: &Path, to_cache: Vec<ToCache>) {
    let grew = !to_cache.is_empty();
    for (path, stamp, doc) in to_cache {
        // Only if the file is still the version we parsed.
        if Stamp::of(&path) == Some(stamp) {
            put(c, &path, stamp, &doc);
        }
    }
    used(c, dir, grew);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    /// A cache of `bytes` for claims directory `owner`, last used `ago`:
    /// half of them in a parse entry, half in a derived kind's directory.
    fn cache(root: &Path, name: &str, owner: Option<&Path>, bytes: usize, ago: u64) {
        let dir = root.join(hex(name));
        assert!(make_private_dir(&dir.join("folded")), "a private directory");
        fs::write(dir.join("a.yaml.bin"), vec![b'x'; bytes / 2]).expect("entry");
        let derived = vec![b'x'; bytes - bytes / 2];
        fs::write(dir.join("folded").join("a.yaml.bin"), derived).expect("derived entry");
        if let Some(owner) = owner {
            let marker = dir.join(MARKER);
            fs::write(&marker, owner.as_os_str().as_encoded_bytes()).expect("marker");
            let f = fs::File::options().write(true).open(&marker).expect("open");
            f.set_modified(SystemTime::now() - Duration::from_secs(ago))
                .expect("age");
        }
    }

    /// The cache name a test calls `name`.
    fn hex(name: &str) -> String {
        let mut h = DefaultHasher::new();
        name.hash(&mut h);
        cache_name(h.finish())
    }

    /// A claims file in a temporary directory, the cache beside it, and
    /// its stamp (the directory lives as long as the first of them).
    fn a_file() -> (tempfile::TempDir, PathBuf, PathBuf, Stamp) {
        let dir = tempfile::tempdir().expect("dir");
        let cache = dir.path().join("cache");
        let file = dir.path().join("a.yaml");
        fs::write(&file, "x").expect("file");
        let stamp = Stamp::of(&file).expect("stamp");
        (dir, cache, file, stamp)
    }

    /// Another version of the file `stamp` is of.
    fn grown(stamp: Stamp) -> Stamp {
        Stamp {
            len: stamp.len + 1,
            ..stamp
        }
    }

    #[test]
    fn what_is_derived_from_a_file_is_read_back_only_for_its_version() {
        let (_dir, cache, file, stamp) = a_file();
        put_derived(&cache, &file, stamp, "folded1", b"folded text");
        assert_eq!(
            get_derived(&cache, &file, stamp, "folded1").as_deref(),
            Some(&b"folded text"[..])
        );
        assert_eq!(
            get_derived(&cache, &file, stamp, "folded2"),
            None,
            "another kind"
        );
        let other = grown(stamp);
        assert_eq!(
            get_derived(&cache, &file, other, "folded1"),
            None,
            "another version"
        );
        // The parse cache's own entry is another file.
        assert_eq!(get(&cache, &file, stamp), None);
    }

    #[test]
    fn an_entry_is_used_only_whole_and_for_the_same_version() {
        let (_dir, cache, file, stamp) = a_file();
        let doc = crate::synth::document(0, 5, 1);
        put(&cache, &file, stamp, &doc);
        assert_eq!(get(&cache, &file, stamp).as_ref(), Some(&doc));
        let other = grown(stamp);
        assert_eq!(
            get(&cache, &file, other),
            None,
            "another version of the file"
        );
        let entry = entry_path(&cache, &file).expect("entry");
        let mut bytes = fs::read(&entry).expect("read");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        fs::write(&entry, &bytes).expect("corrupt");
        assert_eq!(
            get(&cache, &file, stamp),
            None,
            "a flipped bit fails the checksum"
        );
        fs::write(&entry, &bytes[..HEADER]).expect("truncate");
        assert_eq!(get(&cache, &file, stamp), None, "cut short");
    }

    #[test]
    fn vanished_directories_go_then_the_least_recently_used_past_the_limit() {
        let root = tempfile::tempdir().expect("root");
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(root.path(), fs::Permissions::from_mode(0o700)).expect("chmod");
        let claims = tempfile::tempdir().expect("claims");
        let gone = claims.path().join("deleted-since");
        cache(root.path(), "old", Some(claims.path()), 100, 3600);
        cache(root.path(), "recent", Some(claims.path()), 100, 10);
        cache(root.path(), "gone", Some(&gone), 10, 5);
        cache(root.path(), "unmarked", None, 10, 5);
        prune(root.path(), 1000, None);
        let left = |r: &Path| {
            let mut v: Vec<String> = fs::read_dir(r)
                .expect("ls")
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        let names = |n: &[&str]| {
            let mut v: Vec<String> = n.iter().map(|n| hex(n)).collect();
            v.sort();
            v
        };
        // "unmarked" is not known to be the desk's: it stays.
        assert_eq!(
            left(root.path()),
            names(&["old", "recent", "unmarked"]),
            "within the limit"
        );
        prune(root.path(), 150, Some(&root.path().join(hex("old"))));
        assert_eq!(
            left(root.path()),
            names(&["old", "unmarked"]),
            "the one in use stays"
        );
        cache(root.path(), "recent", Some(claims.path()), 100, 10);
        prune(root.path(), 150, None);
        assert_eq!(
            left(root.path()),
            names(&["recent", "unmarked"]),
            "the least recently used went"
        );
    }

    /// The pruner deletes only what the desk made: not through a root that
    /// is a link, not a folder of another name or without its marker, not a
    /// folder others may enter. (A `claimdesk list` once deleted a user's
    /// photos/ and work/ through a linked cache root.)
    #[test]
    fn the_pruner_deletes_nothing_it_did_not_make() {
        let home = tempfile::tempdir().expect("home");
        let elsewhere = home.path().join("elsewhere");
        for d in ["photos", "work", "0123456789abcdef"] {
            fs::create_dir_all(elsewhere.join(d)).expect("mkdir");
            fs::write(elsewhere.join(d).join("keep.txt"), "mine").expect("file");
        }
        let root = home.path().join("claimdesk");
        std::os::unix::fs::symlink(&elsewhere, &root).expect("link");
        prune(&root, 0, None);
        for d in ["photos", "work", "0123456789abcdef"] {
            assert!(elsewhere.join(d).join("keep.txt").exists(), "{d} kept");
        }
        // A real root: only named, private, marked caches go.
        fs::remove_file(&root).expect("unlink");
        assert!(make_private_dir(&root));
        fs::create_dir_all(root.join("photos")).expect("mkdir");
        let open = root.join(hex("shared"));
        fs::create_dir_all(&open).expect("mkdir");
        fs::write(open.join(MARKER), "/nowhere").expect("marker");
        cache(&root, "gone", Some(&home.path().join("nowhere")), 10, 5);
        prune(&root, 0, None);
        assert!(root.join("photos").exists(), "another name stays");
        assert!(open.exists(), "a folder others may enter is not ours");
        assert!(!root.join(hex("gone")).exists(), "our own stale cache goes");
    }

    /// A FIFO (or a link, or a device) where an entry should be is not
    /// read: it would hang the desk.
    #[test]
    fn an_entry_that_is_not_a_regular_file_is_not_read() {
        let (_dir, cache, file, stamp) = a_file();
        assert!(make_private_dir(&cache));
        let entry = entry_path(&cache, &file).expect("entry");
        let fifo = std::ffi::CString::new(entry.as_os_str().as_encoded_bytes()).expect("path");
        // SAFETY: a valid C string; mkfifo only creates the node.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        let started = std::time::Instant::now();
        assert_eq!(get(&cache, &file, stamp), None);
        assert!(started.elapsed() < Duration::from_secs(2), "did not wait");
        fs::remove_file(&entry).expect("rm");
        std::os::unix::fs::symlink("/etc/passwd", &entry).expect("link");
        assert_eq!(get(&cache, &file, stamp), None, "a link is not followed");
    }
}
