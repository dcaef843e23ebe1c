//! One SSH connection: authentication against `reviewers.yaml`, the
//! requests a client may make (a pty, a few variables, the desk) and the
//! ones it may not (shell, exec, forwarding, X11), and its desk session.
//! Everything a client chose is escaped and capped before it is logged.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use russh::server::{Auth, Msg, Session};
use russh::{Channel, ChannelId, Pty};

use super::admission::Admission;
use super::session::{self, Incoming, SessionConfig};
use super::{Reviewer, ReviewerSlot, Role, Shared, keys, log, reviewer_for};
use crate::config::{self, Flags};

/// One connection: who it is, and its desk session once the shell starts.
pub(super) struct Connection {
    shared: Arc<Shared>,
    peer: SocketAddr,
    /// Counts against the limits on connections that have not logged in.
    pending: Option<Admission>,
    authenticated: Arc<AtomicBool>,
    reviewer: Option<Reviewer>,
    size: (u16, u16),
    /// The client's TERM, once it asked for a pty (`None`: no pty, no desk).
    term: Option<String>,
    /// What the client sent with SetEnv (the ones the desk reads).
    env: HashMap<String, String>,
    events: Option<std::sync::mpsc::Sender<Incoming>>,
    input: RateLimit,
    /// This reviewer's session slot, freed when the connection ends.
    slot: Option<ReviewerSlot>,
}

/// What one session may send per second; a paste of a long note fits, a
/// client flooding the server does not get its bytes queued.
const INPUT_PER_SECOND: usize = 256 * 1024;

struct RateLimit {
    window: std::time::Instant,
    used: usize,
    warned: bool,
}

impl RateLimit {
    fn new() -> RateLimit {
        RateLimit {
            window: std::time::Instant::now(),
            used: 0,
            warned: false,
        }
    }

    /// Whether `n` more bytes may pass now.
    fn allow(&mut self, n: usize) -> bool {
        if self.window.elapsed() >= Duration::from_secs(1) {
            self.window = std::time::Instant::now();
            self.used = 0;
        }
        self.used += n;
        self.used <= INPUT_PER_SECOND
    }
}

/// Something a client chose (a user name, a terminal type), fit for a log
/// line: control characters shown, not obeyed, and at most 64 characters.
fn client(s: &str) -> String {
    crate::text::truncate(&crate::text::sanitize(s), 64).into_owned()
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

impl Connection {
    pub(super) fn new(shared: Arc<Shared>, peer: SocketAddr, pending: Admission) -> Connection {
        log(&format!("connection from {peer}"));
        Connection {
            shared,
            peer,
            pending: Some(pending),
            authenticated: Arc::new(AtomicBool::new(false)),
            reviewer: None,
            size: (80, 24),
            term: None,
            env: HashMap::new(),
            events: None,
            input: RateLimit::new(),
            slot: None,
        }
    }

    /// Set once the client has logged in (the login deadline checks it).
    pub(super) fn authenticated(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.authenticated)
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        let who = self
            .reviewer
            .as_ref()
            .map_or("(not authenticated)", |r| r.name.as_str());
        log(&format!("disconnected: {who} from {}", self.peer));
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
        let user = client(user);
        match reviewer_for(&self.shared.reviewers, key.public_key) {
            Some((r, entry)) => {
                if let Some(from) = &entry.from
                    && !keys::allowed_from(from, self.peer.ip())
                {
                    log(&format!(
                        "auth failure: {}'s key is not allowed from {} (from= in reviewers.yaml)",
                        r.name,
                        self.peer.ip()
                    ));
                    return Ok(Auth::reject());
                }
                if entry
                    .expires
                    .is_some_and(|t| t < std::time::SystemTime::now())
                {
                    log(&format!(
                        "auth failure: {}'s key has expired (expiry-time= in reviewers.yaml)",
                        r.name
                    ));
                    return Ok(Auth::reject());
                }
                log(&format!(
                    "authenticated {} ({:?}) as ssh user {user} from {}",
                    r.name, r.role, self.peer
                ));
                self.reviewer = Some(r.clone());
                self.authenticated.store(true, Ordering::SeqCst);
                // Logged in: no longer counts against the pending limits.
                self.pending = None;
                Ok(Auth::Accept)
            }
            None => {
                // The fingerprint an admin compares with the reviewer's
                // `ssh-keygen -lf` before adding the key to reviewers.yaml.
                let fp = key.public_key.fingerprint(russh::keys::HashAlg::Sha256);
                log(&format!(
                    "auth failure: unknown key {fp} ({}) for ssh user {user} from {}",
                    key.public_key.algorithm(),
                    self.peer
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
        self.size = clamp(cols, rows);
        self.term = Some(client(term));
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
            session.channel_success(channel)?;
        } else {
            session.channel_failure(channel)?;
        }
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
        let Some(slot) = shared.reviewer_slot(&reviewer.name) else {
            log(&format!(
                "refused {}: already {} sessions",
                reviewer.name, shared.opts.max_sessions_per_reviewer
            ));
            session.channel_success(channel)?;
            let msg = format!(
                "claimdesk: you already have {} sessions open on this desk; close one first",
                shared.opts.max_sessions_per_reviewer
            );
            tell_and_close(handle, channel, msg);
            return Ok(());
        };
        self.slot = Some(slot);
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
        let mut env = self.env.clone();
        if let Some(term) = &self.term {
            env.insert("TERM".into(), term.clone());
        }
        let flags = Flags {
            reviewer: Some(reviewer.name.clone()),
            ..shared.opts.flags.clone()
        };
        let read_only = reviewer.role == Role::Viewer;
        let size = self.size;
        let shared = Arc::clone(&self.shared);
        let runtime = tokio::runtime::Handle::current();
        let spawned = std::thread::Builder::new()
            .name(format!("session {}", reviewer.name))
            .spawn(move || {
                // Every session shares the server's one desk.
                let hub = shared.hub.clone();
                let config = config::resolve(&flags, &hub.view().desk.settings, &env);
                let cfg = SessionConfig {
                    hub,
                    config,
                    read_only,
                    size,
                };
                let peers = Arc::clone(&shared.peers);
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
        log(&format!("refused subsystem {}", client(name)));
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
        log(&format!(
            "refused port forwarding to {}:{port}",
            client(host)
        ));
        reply
            .reject(russh::ChannelOpenFailure::AdministrativelyProhibited)
            .await;
        Ok(())
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _protocol: &str,
        _cookie: &str,
        _screen: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        log("refused an X11 forwarding request");
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn tcpip_forward(
        &mut self,
        address: &str,
        port: &mut u32,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        log(&format!(
            "refused remote port forwarding (-R) of {}:{port}",
            client(address)
        ));
        Ok(false)
    }

    async fn data(
        &mut self,
        _channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(tx) = &self.events {
            if self.input.allow(data.len()) {
                let _ = tx.send(Incoming::Data(data.to_vec()));
            } else if !self.input.warned {
                self.input.warned = true;
                log(&format!(
                    "{}: input over {} KiB a second dropped",
                    self.reviewer.as_ref().map_or("?", |r| r.name.as_str()),
                    INPUT_PER_SECOND / 1024
                ));
            }
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
        self.size = clamp(cols, rows);
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

/// A terminal size the desk will draw: a client asking for 1000x1000 would
/// cost about 94 MB a session; 500 x 200 is larger than any real screen.
fn clamp(cols: u32, rows: u32) -> (u16, u16) {
    (cols.clamp(1, 500) as u16, rows.clamp(1, 200) as u16)
}
