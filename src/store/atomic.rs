//! Writing a file so that a crash at any instant leaves the old or the new
//! version, never a mix, and serialising writers across processes.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Temp files are named `.claimdesk-XXXXXX.tmp` in the file's directory.
const TEMP_PREFIX: &str = ".claimdesk-";
const TEMP_SUFFIX: &str = ".tmp";
/// A temp file this old was left by a writer that died: saves take well
/// under a second, and a writer holds the lock while its temp exists.
const STALE: Duration = Duration::from_secs(60);

/// Remove temp files that writers killed mid-save left in `dir`. Call it
/// under the lock: then no writer of ours is half-way through one. It
/// lists the directory, so a process does it at most once a minute (a
/// leftover only has to go before it piles up, and a save stays quick in a
/// directory of thousands of articles).
pub fn remove_stale_temps(dir: &Path) -> usize {
    static LAST: std::sync::Mutex<Option<Instant>> = std::sync::Mutex::new(None);
    {
        let mut last = LAST.lock().unwrap_or_else(|p| p.into_inner());
        if last.is_some_and(|t| t.elapsed() < STALE) {
            return 0;
        }
        *last = Some(Instant::now());
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let now = std::time::SystemTime::now();
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        // Only regular files we could have made, never through a link.
        let Ok(meta) = fs::symlink_metadata(e.path()) else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age > STALE);
        if meta.file_type().is_file() && old && fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Replace `path` with `bytes`: temp file in the same directory, fsync, rename
/// over the original, fsync the directory. The new file keeps the old one's
/// permission bits and, where we may set it, its group: reviewers on a shared
/// server share files through group permissions.
pub fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = parent_dir(path);
    let old = fs::metadata(path).ok();
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)?;
    // The permission bits only: a setuid, setgid or sticky bit on a data
    // file is no one's intent, and is not carried onto what we write.
    let mode = old
        .as_ref()
        .map_or(0o644, |m| m.permissions().mode() & 0o777);
    // Set explicitly: a mode given at creation would be cut by the umask.
    tmp.as_file()
        .set_permissions(fs::Permissions::from_mode(mode))?;
    if let Some(m) = &old {
        // Only the owner or root may change the group; anyone else keeps their default group.
        let _ = std::os::unix::fs::fchown(tmp.as_file(), None, Some(m.gid()));
        // Changing the group can clear setgid bits; put the mode back.
        tmp.as_file()
            .set_permissions(fs::Permissions::from_mode(mode))?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    File::open(dir)?.sync_all()
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// The sidecar that serialises writers of `path`. The data file itself cannot
/// be locked: once a writer renames a new version over it, a lock held on the
/// old inode no longer excludes anyone.
pub fn lock_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    parent_dir(path).join(format!(".{name}.lock"))
}

/// An exclusive advisory lock, released when dropped (or when the process dies).
pub struct FileLock {
    _file: File,
}

/// How long a writer waits for another to release the lock. A save takes
/// milliseconds; a lock held longer is held by something else, and the
/// reviewer is told rather than left waiting forever.
fn lock_wait() -> Duration {
    std::env::var("CLAIMDESK_LOCK_WAIT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(Duration::from_secs(10), Duration::from_millis)
}

fn refuse(sidecar: &Path, why: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "{} {why}; it should be claimdesk's own lock file: remove it and try again",
            sidecar.display()
        ),
    )
}

/// Open the lock sidecar of `data` without ever following a link. One we
/// create is ours, and gets the data file's read/write bits so the group
/// can lock it too; one that exists is used as it is (never chmod a file we
/// did not just create), once it is shown to be a plain file owned by us,
/// by the data file's owner or by root.
fn open_lock(sidecar: &Path, data: &Path) -> io::Result<File> {
    let flags = libc::O_NOFOLLOW | libc::O_CLOEXEC;
    let created = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(flags)
        .open(sidecar);
    match created {
        Ok(f) => {
            if let Ok(m) = fs::metadata(data) {
                let mode = m.permissions().mode() & 0o666;
                let _ = f.set_permissions(fs::Permissions::from_mode(mode));
            }
            return Ok(f);
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    let open = |write: bool| {
        OpenOptions::new()
            .read(true)
            .write(write)
            .custom_flags(flags)
            .open(sidecar)
    };
    let file = match open(true) {
        Ok(f) => f,
        // Made by another reviewer without write access for us: flock needs only a read handle.
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => open(false)?,
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(refuse(sidecar, "is a symbolic link"));
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if !meta.file_type().is_file() {
        return Err(refuse(sidecar, "is not a regular file"));
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    let data_owner = fs::metadata(data).map(|m| m.uid()).ok();
    if meta.uid() != me && meta.uid() != 0 && Some(meta.uid()) != data_owner {
        return Err(refuse(
            sidecar,
            &format!(
                "belongs to user {}, not to you or the claims file's owner",
                meta.uid()
            ),
        ));
    }
    Ok(file)
}

pub fn lock_exclusive(path: &Path) -> io::Result<FileLock> {
    let sidecar = lock_path(path);
    let file = open_lock(&sidecar, path)?;
    let wait = lock_wait();
    let start = Instant::now();
    let mut pause = Duration::from_millis(5);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(FileLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(200));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "another process has held the lock on {} for over {} s; try again \
                         (`fuser {}` shows who holds it)",
                        path.file_name().map_or_else(
                            || path.display().to_string(),
                            |n| n.to_string_lossy().into_owned()
                        ),
                        wait.as_secs_f32(),
                        sidecar.display()
                    ),
                ));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_drops_setuid_setgid_and_sticky() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.yaml");
        fs::write(&path, "old").expect("write");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o6755)).expect("chmod");
        replace_file(&path, b"new").expect("replace");
        let mode = fs::metadata(&path).expect("stat").permissions().mode() & 0o7777;
        assert_eq!(mode, 0o755, "{mode:o}");
    }

    #[test]
    fn replace_keeps_permission_bits() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.yaml");
        fs::write(&path, "old").expect("write");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
        replace_file(&path, b"new").expect("replace");
        assert_eq!(fs::read_to_string(&path).expect("read"), "new");
        let mode = fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "temp files left behind");
    }

    #[test]
    fn lock_sidecar_is_hidden_beside_the_file() {
        assert_eq!(
            lock_path(Path::new("claims/x.yaml")),
            PathBuf::from("claims/.x.yaml.lock")
        );
    }
}
