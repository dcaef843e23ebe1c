//! One reviewer's desk over SSH: the same app, screens and drive loop as the
//! local desk, fed by this channel's bytes and drawn into this channel.
//!
//! Each session runs on a thread of its own, not on the async runtime: key
//! handling, saves (a lock, fsyncs) and re-reads block, and one busy or
//! stuck session must never hold up the others or new logins.

use std::collections::VecDeque;
use std::io;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use russh::ChannelId;
use russh::server::Handle;

use super::{InputParser, log};
use crate::app::drive::{self, Event, Frontend};
use crate::app::input::ESC_WAIT;
use crate::app::{Action, App, Capabilities, Display, Effect, Layout, Screen, Session};
use crate::config::Config;
use crate::model::ClaimId;
use crate::query::Hub;
use crate::text::Bidi;
use crate::ui::output::{self, Output};

/// What the connection's handler passes to its session.
pub enum Incoming {
    Data(Vec<u8>),
    Resize(u16, u16),
    /// The desk changed (the hub published): the session takes it in.
    DeskChanged,
    /// Where the other sessions are: (reviewer, claim).
    Presence(Vec<(String, ClaimId)>),
    Close,
}

/// One running session, as the others see it.
struct Peer {
    id: u64,
    tx: Sender<Incoming>,
    reviewer: String,
    on: Option<ClaimId>,
}

/// Every running session: to tell the others when one saves, and who is
/// on which claim.
#[derive(Default)]
pub struct Peers {
    next: Mutex<u64>,
    peers: Mutex<Vec<Peer>>,
}

impl Peers {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Peer>> {
        self.peers.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn join(&self, tx: Sender<Incoming>, reviewer: String) -> u64 {
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        *next += 1;
        let id = *next;
        self.lock().push(Peer {
            id,
            tx,
            reviewer,
            on: None,
        });
        id
    }

    fn leave(&self, id: u64) {
        let mut peers = self.lock();
        peers.retain(|p| p.id != id);
        tell_positions(&peers);
    }

    fn moved(&self, me: u64, on: Option<&ClaimId>) {
        let mut peers = self.lock();
        if let Some(p) = peers.iter_mut().find(|p| p.id == me) {
            p.on = on.cloned();
        }
        tell_positions(&peers);
    }
}

/// Tell every session where the others are.
fn tell_positions(peers: &[Peer]) {
    for p in peers {
        let others = peers
            .iter()
            .filter(|o| o.id != p.id)
            .filter_map(|o| Some((o.reviewer.clone(), o.on.clone()?)))
            .collect();
        let _ = p.tx.send(Incoming::Presence(others));
    }
}

pub struct SessionConfig {
    /// The server's desk, shared by every session.
    pub hub: Hub,
    pub config: Config,
    pub read_only: bool,
    pub size: (u16, u16),
}

struct Channel {
    runtime: tokio::runtime::Handle,
    handle: Handle,
    channel: ChannelId,
    incoming: Receiver<Incoming>,
    parser: InputParser,
    pending: VecDeque<Event>,
    output: Output,
    /// Sent before the first frame.
    start: Option<Vec<u8>>,
    peers: Arc<Peers>,
    me: u64,
}

impl Channel {
    fn send(&self, bytes: Vec<u8>) -> io::Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        self.runtime
            .block_on(self.handle.data(self.channel, bytes))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }

    fn take_in(&mut self, incoming: Incoming) {
        match incoming {
            Incoming::Data(bytes) => {
                let events = self.parser.feed(&bytes);
                self.pending.extend(events);
            }
            Incoming::Resize(w, h) => self.pending.push_back(Event::Resize(w, h)),
            Incoming::DeskChanged => self.pending.push_back(Event::DeskChanged),
            Incoming::Presence(who) => self.pending.push_back(Event::Presence(who)),
            Incoming::Close => self.pending.push_back(Event::Closed),
        }
    }
}

impl Frontend for Channel {
    fn next_event(&mut self, timeout: Duration) -> io::Result<Option<Event>> {
        if let Some(e) = self.pending.pop_front() {
            return Ok(Some(e));
        }
        let wait = if self.parser.has_pending() {
            ESC_WAIT.min(timeout)
        } else {
            timeout
        };
        match self.incoming.recv_timeout(wait) {
            Ok(incoming) => self.take_in(incoming),
            Err(RecvTimeoutError::Timeout) => {
                if self.parser.has_pending() {
                    let events = self.parser.flush();
                    self.pending.extend(events);
                }
            }
            Err(RecvTimeoutError::Disconnected) => return Ok(Some(Event::Closed)),
        }
        Ok(self.pending.pop_front())
    }

    fn input_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    fn draw(&mut self, app: &App) -> io::Result<Layout> {
        let (frame, layout) = self.output.frame(app)?;
        let start = self.start.take();
        let first = start.is_some();
        let mut bytes = start.unwrap_or_default();
        bytes.extend(frame);
        if first && app.screen().display().bidi_choice.is_auto() {
            // SSH forwards no terminal variables: the terminal's own answer
            // is how a served session learns how to draw Arabic for it.
            bytes.extend_from_slice(output::ASK_TERMINAL);
        }
        self.send(bytes)?;
        Ok(layout)
    }

    fn resize(&mut self, width: u16, height: u16) -> io::Result<()> {
        self.output.resize(width, height)
    }

    fn perform(&mut self, effect: Effect) -> io::Result<Option<Action>> {
        match effect {
            Effect::Copy(text) => {
                self.send(output::clipboard(&text))?;
                Ok(None)
            }
            // The session's capabilities rule these out; say so if one comes anyway.
            Effect::EditNote(_) | Effect::Suspend => Ok(Some(Action::EffectFailed(
                "not available over claimdesk serve".into(),
            ))),
        }
    }

    fn bidi_changed(&mut self, bidi: Bidi) -> io::Result<()> {
        let bytes = self.output.switch_bidi(bidi)?;
        self.send(bytes)
    }

    fn looking_at(&mut self, claim: Option<&ClaimId>) {
        self.peers.moved(self.me, claim);
    }
}

/// Run one session to its end on the current (dedicated) thread.
pub fn run(
    cfg: SessionConfig,
    runtime: tokio::runtime::Handle,
    handle: Handle,
    channel: ChannelId,
    incoming: Receiver<Incoming>,
    tx: Sender<Incoming>,
    peers: Arc<Peers>,
) {
    let reviewer = cfg.config.reviewer.clone().unwrap_or_default();
    let bidi = cfg.config.bidi;
    let notices = cfg.config.notices.clone();
    // Woken at once when the desk changes, rather than looking every so often.
    let wake = tx.clone();
    let _subscribed = cfg.hub.subscribe(move || {
        let _ = wake.send(Incoming::DeskChanged);
    });
    let mut session = Session::on(cfg.hub, cfg.config.reviewer.clone());
    if cfg.read_only {
        session = session.read_only("your role is viewer");
    }
    let screen = Screen::new(
        Display {
            bidi,
            bidi_choice: cfg.config.bidi_choice,
            color: cfg.config.color,
            time_zone: cfg.config.time_zone.clone(),
        },
        Capabilities {
            editor: false,
            suspend: false,
        },
    );
    let (w, h) = cfg.size;
    let Ok(out) = Output::new(w, h, cfg.config.hyperlinks) else {
        let _ = runtime.block_on(handle.close(channel));
        return;
    };
    let me = peers.join(tx, reviewer.clone());
    let mut frontend = Channel {
        runtime: runtime.clone(),
        handle: handle.clone(),
        channel,
        incoming,
        parser: InputParser::default(),
        pending: VecDeque::new(),
        output: out,
        start: Some(output::start_sequence(bidi)),
        peers: Arc::clone(&peers),
        me,
    };
    let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut app = App::new(session, screen);
        for n in &notices {
            app.notice(n.clone());
        }
        drive::run(&mut app, &mut frontend)
    }));
    peers.leave(me);
    match ran {
        Ok(Ok(())) => {}
        Ok(Err(e)) => log(&format!("{reviewer}: session ended: {e}")),
        Err(_) => log(&format!(
            "{reviewer}: a bug ended this session; please report it"
        )),
    }
    let _ = frontend.send(output::end_sequence());
    let _ = runtime.block_on(async {
        let _ = handle.exit_status_request(channel, 0).await;
        handle.close(channel).await
    });
    log(&format!("{reviewer}: session ended"));
}
