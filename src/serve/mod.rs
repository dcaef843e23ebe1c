//! `claimdesk serve`: the desk as an SSH server of its own. Reviewers connect
//! with plain `ssh` and land in the desk, with an identity and a role from
//! `reviewers.yaml`, and nothing else: no shell, no exec, no forwarding.
//!
//! Each connection runs its own desk session (state machine, terminal,
//! input parser) in a task of its own and draws to its own channel. Every
//! change goes through the same locked, atomic store as the CLI; after a
//! save, the other sessions are told to reload at once.

mod input;
mod session;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use std::collections::HashMap;

use russh::keys::{PrivateKey, PublicKey};
use russh::server::{Auth, Msg, Server as _, Session};
use russh::{Channel, ChannelId, Pty};
use serde::Deserialize;

use crate::config::{self, Flags};
use crate::query::{SearchIndex, SourceTree};
use crate::store::Desk;
use session::{Incoming, Peers, SessionConfig};

pub use input::InputParser;

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

/// One reviewer with their parsed keys.
#[derive(Debug, Clone)]
pub struct Reviewer {
    pub name: String,
    pub role: Role,
    keys: Vec<PublicKey>,
}

/// Read and check `reviewers.yaml`; a key that does not parse is an error, not a silent skip.
pub fn load_reviewers(path: &Path) -> Result<Vec<Reviewer>, String> {
    let file: ReviewersFile = crate::store::load_yaml(path).map_err(|p| p.to_string())?;
    let mut out = Vec::new();
    for r in file.reviewers {
        let mut keys = Vec::new();
        for line in &r.keys {
            // authorized_keys lines may carry options before the key type; take from the type on.
            let from_type = line
                .find("ssh-")
                .or_else(|| line.find("ecdsa-"))
                .or_else(|| line.find("sk-"))
                .map_or(line.as_str(), |i| &line[i..]);
            let key = PublicKey::from_openssh(from_type.trim()).map_err(|e| {
                format!(
                    "{}: reviewer `{}`: a key does not parse ({e}); paste a line from their \
                     id_ed25519.pub or authorized_keys",
                    path.display(),
                    r.name
                )
            })?;
            keys.push(key);
        }
        if r.name.trim().is_empty() {
            return Err(format!("{}: a reviewer has no name", path.display()));
        }
        out.push(Reviewer {
            name: r.name,
            role: r.role,
            keys,
        });
    }
    Ok(out)
}

/// The reviewer a public key belongs to.
fn reviewer_for<'a>(reviewers: &'a [Reviewer], key: &PublicKey) -> Option<&'a Reviewer> {
    reviewers
        .iter()
        .find(|r| r.keys.iter().any(|k| k.key_data() == key.key_data()))
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
    log(&format!("made a new host key at {}", path.display()));
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

pub fn log(line: &str) {
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
    pub idle_timeout: Duration,
    /// The server's own display flags; each session resolves the rest from
    /// the desk's settings and what its client sent.
    pub flags: Flags,
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
    /// The desk as last looked at: sessions start from a copy, whose
    /// documents are shared (reference-counted), not re-read or duplicated.
    /// With its search index: a session's copy shares the folded text.
    desk: std::sync::Mutex<(Desk, SearchIndex)>,
    reviewers: Vec<Reviewer>,
    sessions: AtomicUsize,
    /// Every running session, told at once when another one saves.
    peers: Arc<Peers>,
}

impl Shared {
    /// The desk as it is on disk now and its search index, for a new session.
    /// Files saved since the last look are re-read and folded again, once,
    /// here; the rest is shared with every other session.
    fn snapshot(&self) -> (Desk, SearchIndex) {
        let mut guard = match self.desk.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let (desk, index) = &mut *guard;
        if desk.refresh().changed {
            index.sync(desk, &SourceTree::of(desk));
        }
        (desk.clone(), index.clone())
    }
}

#[derive(Clone)]
struct DeskServer {
    shared: Arc<Shared>,
}

/// One connection: who it is, and its desk session once the shell starts.
struct Connection {
    shared: Arc<Shared>,
    peer: Option<SocketAddr>,
    reviewer: Option<Reviewer>,
    size: (u16, u16),
    /// The client's TERM, once it asked for a pty (`None`: no pty, no desk).
    term: Option<String>,
    /// What the client sent with SetEnv (the ones the desk reads).
    env: HashMap<String, String>,
    events: Option<std::sync::mpsc::Sender<Incoming>>,
}

/// Client variables a session takes in; everything else a client sends is ignored.
const CLIENT_ENV: &[&str] = &[
    "NO_COLOR",
    "TZ",
    "CLAIMDESK_HYPERLINKS",
    "KONSOLE_VERSION",
    "MLTERM",
    "VTE_VERSION",
    "TERM_PROGRAM",
    "KITTY_WINDOW_ID",
];

impl russh::server::Server for DeskServer {
    type Handler = Connection;
    fn new_client(&mut self, peer: Option<SocketAddr>) -> Connection {
        log(&format!(
            "connection from {}",
            peer.map_or("?".into(), |p| p.to_string())
        ));
        Connection {
            shared: Arc::clone(&self.shared),
            peer,
            reviewer: None,
            size: (80, 24),
            term: None,
            env: HashMap::new(),
            events: None,
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        let who = self
            .reviewer
            .as_ref()
            .map_or("(not authenticated)", |r| r.name.as_str());
        let peer = self.peer.map_or("?".into(), |p| p.to_string());
        log(&format!("disconnected: {who} from {peer}"));
        if let Some(tx) = &self.events {
            let _ = tx.send(Incoming::Close);
        }
    }
}

impl russh::server::Handler for Connection {
    type Error = russh::Error;

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: russh::server::VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        match reviewer_for(&self.shared.reviewers, key.public_key) {
            Some(r) => {
                log(&format!(
                    "authenticated {} ({:?}) as ssh user {user}",
                    r.name, r.role
                ));
                self.reviewer = Some(r.clone());
                Ok(Auth::Accept)
            }
            None => {
                let peer = self.peer.map_or("?".into(), |p| p.to_string());
                log(&format!(
                    "auth failure: unknown key for ssh user {user} from {peer}"
                ));
                Ok(Auth::reject())
            }
        }
    }

    async fn channel_open_session(
        &mut self,
        _channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.reviewer.is_some() {
            reply.accept().await;
        } else {
            reply
                .reject(russh::ChannelOpenFailure::AdministrativelyProhibited)
                .await;
        }
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        cols: u32,
        rows: u32,
        _pix_w: u32,
        _pix_h: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.size = (clamp(cols), clamp(rows));
        self.term = Some(term.to_string());
        session.channel_success(channel)?;
        Ok(())
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if CLIENT_ENV.contains(&name) && value.len() <= 256 {
            self.env.insert(name.to_string(), value.to_string());
        }
        session.channel_success(channel)?;
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(reviewer) = self.reviewer.clone() else {
            session.channel_failure(channel)?;
            return Ok(());
        };
        let handle = session.handle();
        // The desk draws a full screen: it needs a terminal that can.
        if matches!(self.term.as_deref(), None | Some("" | "dumb")) {
            log(&format!(
                "refused {}: no terminal (TERM {:?})",
                reviewer.name, self.term
            ));
            session.channel_success(channel)?;
            tell_and_close(
                handle,
                channel,
                "claimdesk: the desk needs a terminal; connect with `ssh -t`".into(),
            );
            return Ok(());
        }
        let shared = &self.shared;
        if shared.sessions.fetch_add(1, Ordering::SeqCst) >= shared.opts.max_sessions {
            shared.sessions.fetch_sub(1, Ordering::SeqCst);
            log(&format!("refused {}: the server is full", reviewer.name));
            session.channel_success(channel)?;
            let msg = format!(
                "claimdesk: the desk is full ({} sessions); try again soon",
                shared.opts.max_sessions
            );
            tell_and_close(handle, channel, msg);
            return Ok(());
        }
        session.channel_success(channel)?;
        let (tx, rx) = std::sync::mpsc::channel();
        self.events = Some(tx.clone());
        let (desk, index) = shared.snapshot();
        let mut env = self.env.clone();
        if let Some(term) = &self.term {
            env.insert("TERM".into(), term.clone());
        }
        let flags = Flags {
            reviewer: Some(reviewer.name.clone()),
            ..shared.opts.flags.clone()
        };
        let config = config::resolve(&flags, &desk.settings, &env);
        let cfg = SessionConfig {
            desk,
            index,
            config,
            read_only: reviewer.role == Role::Viewer,
            size: self.size,
        };
        let shared = Arc::clone(&self.shared);
        let runtime = tokio::runtime::Handle::current();
        let peers = Arc::clone(&shared.peers);
        let spawned = std::thread::Builder::new()
            .name(format!("session {}", reviewer.name))
            .spawn(move || {
                session::run(cfg, runtime, handle, channel, rx, tx, peers);
                shared.sessions.fetch_sub(1, Ordering::SeqCst);
            });
        if let Err(e) = spawned {
            self.shared.sessions.fetch_sub(1, Ordering::SeqCst);
            log(&format!(
                "cannot start a session for {}: {e}",
                reviewer.name
            ));
        }
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        log("refused an exec request: the desk is the only thing served");
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        log(&format!("refused subsystem {name}"));
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn channel_open_direct_tcpip(
        &mut self,
        _channel: Channel<Msg>,
        host: &str,
        port: u32,
        _from: &str,
        _from_port: u32,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        log(&format!("refused port forwarding to {host}:{port}"));
        reply
            .reject(russh::ChannelOpenFailure::AdministrativelyProhibited)
            .await;
        Ok(())
    }

    async fn data(
        &mut self,
        _channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(tx) = &self.events {
            let _ = tx.send(Incoming::Data(data.to_vec()));
        }
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        _channel: ChannelId,
        cols: u32,
        rows: u32,
        _pix_w: u32,
        _pix_h: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.size = (clamp(cols), clamp(rows));
        if let Some(tx) = &self.events {
            let _ = tx.send(Incoming::Resize(self.size.0, self.size.1));
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(tx) = &self.events {
            let _ = tx.send(Incoming::Close);
        }
        Ok(())
    }
}

/// Say one line to the client and close its channel.
fn tell_and_close(handle: russh::server::Handle, channel: ChannelId, line: String) {
    tokio::spawn(async move {
        let _ = handle
            .data(channel, format!("{line}\r\n").into_bytes())
            .await;
        let _ = handle.close(channel).await;
    });
}

fn clamp(n: u32) -> u16 {
    n.clamp(1, 1000) as u16
}

/// Run the server until it is stopped.
pub fn run(opts: Options) -> Result<(), Error> {
    let fail = Error;
    // Load the desk and the reviewers before listening: a bad file fails at once.
    let desk = Desk::load_cached(&opts.claims).map_err(|p| fail(p.to_string()))?;
    let index = SearchIndex::build(&desk, &SourceTree::of(&desk));
    let reviewers = load_reviewers(&opts.reviewers).map_err(fail)?;
    let key = host_key(&opts.host_key).map_err(fail)?;
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
    let mut server = DeskServer {
        shared: Arc::new(Shared {
            opts,
            desk: std::sync::Mutex::new((desk, index)),
            reviewers,
            sessions: AtomicUsize::new(0),
            peers: Arc::new(Peers::default()),
        }),
    };
    let runtime = tokio::runtime::Runtime::new().map_err(|e| fail(format!("cannot start: {e}")))?;
    runtime.block_on(async move {
        log(&format!("listening on {listen}"));
        server
            .run_on_address(Arc::new(config), listen)
            .await
            .map_err(|e| fail(format!("cannot listen on {listen}: {e}")))
    })
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
            reviewer_for(&r, &key).map(|r| r.name.as_str()),
            Some("alice")
        );

        fs_write(
            &path,
            "reviewers:\n  - name: bob\n    role: reviewer\n    keys: [ssh-ed25519 AAAAnope]\n",
        );
        let err = load_reviewers(&path).expect_err("bad key");
        assert!(
            err.contains("reviewer `bob`: a key does not parse"),
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
