//! `claimdesk serve`: the desk as an SSH server of its own. Reviewers connect
//! with plain `ssh` and land in the desk, with an identity and a role from
//! `reviewers.yaml`, and nothing else: no shell, no exec, no forwarding.
//!
//! Each connection runs its own desk session (the app and its drive loop,
//! on a thread of its own) and draws to its own channel. Every change goes
//! through the same locked, atomic store as the CLI; after a save, the
//! other sessions are told to reload at once.

mod admission;
mod connection;
mod keys;
mod listen;
mod session;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use russh::keys::{PrivateKey, PublicKey};
use serde::Deserialize;

use crate::config::Flags;
use crate::query::{Hub, Synced};
use keys::KeyEntry;
use session::Peers;

pub use crate::app::input::InputParser;

/// What a reviewer may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Read only.
    Viewer,
    /// May change statuses and notes.
    Reviewer,
    /// A reviewer who may also edit desk settings (by hand, for now).
    Editor,
}

#[derive(Debug, Clone, Deserialize)]
struct ReviewerEntry {
    name: String,
    role: Role,
    /// OpenSSH `authorized_keys` lines.
    keys: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct ReviewersFile {
    reviewers: Vec<ReviewerEntry>,
}

/// One reviewer with their parsed keys and the keys' restrictions.
#[derive(Debug, Clone)]
pub struct Reviewer {
    pub name: String,
    pub role: Role,
    keys: Vec<KeyEntry>,
}

/// Read and check `reviewers.yaml`: a key that does not parse, or an
/// option the server cannot honour, stops the server from starting rather
/// than being skipped (a restriction dropped silently would let a key in
/// from anywhere).
pub fn load_reviewers(path: &Path) -> Result<Vec<Reviewer>, String> {
    let file: ReviewersFile = crate::store::load_yaml(path).map_err(|p| p.to_string())?;
    let mut out = Vec::new();
    for r in file.reviewers {
        let name = crate::text::sanitize(&r.name).into_owned();
        if name.trim().is_empty() {
            return Err(format!("{}: a reviewer has no name", path.display()));
        }
        let mut keys = Vec::new();
        for (i, line) in r.keys.iter().enumerate() {
            let entry = keys::parse(line).map_err(|why| {
                format!(
                    "{}: reviewer `{name}`, key {}: {why}",
                    path.display(),
                    i + 1
                )
            })?;
            keys.push(entry);
        }
        out.push(Reviewer {
            name,
            role: r.role,
            keys,
        });
    }
    Ok(out)
}

/// The reviewer a public key belongs to, and that key's entry.
fn reviewer_for<'a>(
    reviewers: &'a [Reviewer],
    key: &PublicKey,
) -> Option<(&'a Reviewer, &'a KeyEntry)> {
    reviewers.iter().find_map(|r| {
        let entry = r.keys.iter().find(|k| k.key.key_data() == key.key_data())?;
        Some((r, entry))
    })
}

/// The host key at `path`, made (0600) on first start.
fn host_key(path: &Path) -> Result<PrivateKey, String> {
    if path.exists() {
        return russh::keys::load_secret_key(path, None)
            .map_err(|e| format!("cannot read the host key {}: {e}", path.display()));
    }
    let key = PrivateKey::random(&mut rand::rng(), russh::keys::Algorithm::Ed25519)
        .map_err(|e| format!("cannot make a host key: {e}"))?;
    let text = key
        .to_openssh(russh::keys::ssh_key::LineEnding::LF)
        .map_err(|e| format!("cannot encode the host key: {e}"))?;
    write_private(path, text.as_bytes())
        .map_err(|e| format!("cannot write the host key {}: {e}", path.display()))?;
    // What reviewers check the first time ssh asks them to trust the server.
    log(&format!(
        "made a new host key at {}: {} {}",
        path.display(),
        key.public_key().algorithm(),
        key.public_key().fingerprint(russh::keys::HashAlg::Sha256)
    ));
    Ok(key)
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// One line of the server's log, on stderr. Anything that could act on a
/// terminal is shown, never obeyed, and a line is one line.
pub fn log(line: &str) {
    let line = crate::text::sanitize(line);
    eprintln!("{} claimdesk serve: {line}", crate::store::now_rfc3339());
}

/// How `claimdesk serve` was asked to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub listen: SocketAddr,
    pub host_key: PathBuf,
    pub reviewers: PathBuf,
    pub claims: PathBuf,
    pub max_sessions: usize,
    /// Sessions one reviewer may have at once: nobody takes every slot.
    pub max_sessions_per_reviewer: usize,
    pub idle_timeout: Duration,
    /// A connection that has not logged in by then is closed.
    pub login_timeout: Duration,
    /// The server's own display flags; each session resolves the rest from
    /// the desk's settings and what its client sent.
    pub flags: Flags,
    /// Sync with this git remote, this often (`serve --sync`).
    pub sync: Option<(String, Duration)>,
}

/// Why the server could not start or stopped.
#[derive(Debug)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// Shared by every connection.
struct Shared {
    opts: Options,
    /// The one desk of the server: every session shares it, and it alone
    /// watches the disk.
    hub: Hub,
    reviewers: Vec<Reviewer>,
    sessions: AtomicUsize,
    /// Sessions per reviewer.
    per_reviewer: Mutex<HashMap<String, usize>>,
    /// Connections that have not logged in yet.
    pending: Arc<admission::Pending>,
    /// Every running session, told at once when another one saves.
    peers: Arc<Peers>,
}

/// One of a reviewer's session slots; dropping it frees the slot.
struct ReviewerSlot {
    shared: Arc<Shared>,
    name: String,
}

impl Drop for ReviewerSlot {
    fn drop(&mut self) {
        let mut map = self
            .shared
            .per_reviewer
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(n) = map.get_mut(&self.name) {
            *n = n.saturating_sub(1);
        }
    }
}

impl Shared {
    /// A session slot for `name`, unless they have all their sessions open.
    fn reviewer_slot(self: &Arc<Self>, name: &str) -> Option<ReviewerSlot> {
        let mut map = self.per_reviewer.lock().unwrap_or_else(|p| p.into_inner());
        let n = map.entry(name.to_string()).or_insert(0);
        if *n >= self.opts.max_sessions_per_reviewer {
            return None;
        }
        *n += 1;
        Some(ReviewerSlot {
            shared: Arc::clone(self),
            name: name.to_string(),
        })
    }
}

/// Run the server until it is stopped.
pub fn run(opts: Options) -> Result<(), Error> {
    let fail = Error;
    // Open the desk and read the reviewers before listening: a bad file
    // fails at once. A large desk goes on loading while reviewers log in.
    let hub = Hub::open(&opts.claims, true).map_err(|p| fail(p.to_string()))?;
    let reviewers = load_reviewers(&opts.reviewers).map_err(fail)?;
    let key = host_key(&opts.host_key).map_err(fail)?;
    listen::raise_file_limit();
    let config = russh::server::Config {
        inactivity_timeout: Some(opts.idle_timeout),
        auth_rejection_time: Duration::from_secs(1),
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![key],
        // Public keys only: no passwords to guess, nothing else to offer.
        methods: russh::MethodSet::from(&[russh::MethodKind::PublicKey][..]),
        nodelay: true,
        ..Default::default()
    };
    let listen = opts.listen;
    if let Some((remote, every)) = &opts.sync {
        sync_forever(&opts.claims, remote, *every, hub.clone()).map_err(fail)?;
    }
    let shared = Arc::new(Shared {
        opts,
        hub,
        reviewers,
        sessions: AtomicUsize::new(0),
        per_reviewer: Mutex::new(HashMap::new()),
        pending: Arc::new(admission::Pending::default()),
        peers: Arc::new(Peers::default()),
    });
    let runtime = tokio::runtime::Runtime::new().map_err(|e| fail(format!("cannot start: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| fail(format!("cannot listen on {listen}: {e}")))?;
        log(&format!("listening on {listen}"));
        listen::accept_forever(listener, Arc::new(config), shared).await;
        Ok(())
    })
}

/// Sync the claims folder with `remote` now and every `every` after, on a
/// thread of its own; what a sync brings reaches sessions as any change on
/// disk does (the hub's watcher), and how it went reaches the header.
fn sync_forever(claims: &Path, remote: &str, every: Duration, hub: Hub) -> Result<(), String> {
    let dir = claims.to_path_buf();
    let opts = crate::sync::Options {
        remote: remote.to_string(),
        ..Default::default()
    };
    // Set up wrong is said at once, not once a minute in a log.
    crate::sync::check_ready(&dir)?;
    std::thread::Builder::new()
        .name("sync".into())
        .spawn(move || {
            loop {
                let synced = match crate::sync::sync(&dir, &opts) {
                    Ok(r) => {
                        log(&format!(
                            "sync: {}",
                            r.to_string().trim_end().replace('\n', "; ")
                        ));
                        let failed = !r.went_through();
                        Synced {
                            at: std::time::SystemTime::now(),
                            failed,
                            said: r.headline(),
                        }
                    }
                    Err(why) => {
                        log(&format!("sync: {why}"));
                        Synced {
                            at: std::time::SystemTime::now(),
                            failed: true,
                            said: why.lines().next().unwrap_or_default().to_string(),
                        }
                    }
                };
                hub.set_synced(synced);
                if !hub.watched() {
                    hub.check_disk();
                }
                std::thread::sleep(every);
            }
        })
        .map_err(|e| format!("cannot start the sync thread: {e}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBmNiw2A1ZRpuzAhmeB2YhZ8X45VlCzBqv9rdEPXZ4Ex alice@laptop";

    #[test]
    fn reviewers_file_with_options_before_the_key_and_a_bad_key() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("reviewers.yaml");
        let body = format!(
            "reviewers:\n  - name: alice\n    role: editor\n    keys:\n      - 'restrict,pty {KEY}'\n"
        );
        fs_write(&path, &body);
        let r = load_reviewers(&path).expect("valid");
        assert_eq!((r[0].name.as_str(), r[0].role), ("alice", Role::Editor));
        let key = PublicKey::from_openssh(KEY).expect("key");
        assert_eq!(
            reviewer_for(&r, &key).map(|(r, _)| r.name.as_str()),
            Some("alice")
        );

        fs_write(
            &path,
            "reviewers:\n  - name: bob\n    role: reviewer\n    keys: [ssh-ed25519 AAAAnope]\n",
        );
        let err = load_reviewers(&path).expect_err("bad key");
        assert!(
            err.contains("reviewer `bob`, key 1: the key does not parse"),
            "{err}"
        );
        // An option the server cannot honour stops it from starting.
        fs_write(
            &path,
            &format!(
                "reviewers:\n  - name: bob\n    role: reviewer\n    keys:\n      - 'command=\"/bin/sh\" {KEY}'\n"
            ),
        );
        let err = load_reviewers(&path).expect_err("command= refused");
        assert!(
            err.contains("reviewer `bob`, key 1: option `command=")
                && err.contains("not supported"),
            "{err}"
        );
        fs_write(
            &path,
            "reviewers:\n  - name: bob\n    role: admin\n    keys: []\n",
        );
        let err = load_reviewers(&path).expect_err("bad role");
        assert!(
            err.contains("reviewers.yaml:3:11") && err.contains("admin"),
            "{err}"
        );
    }

    fn fs_write(path: &Path, body: &str) {
        std::fs::write(path, body).expect("write");
    }
}
