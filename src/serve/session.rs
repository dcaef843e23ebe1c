//! One reviewer's desk over SSH: the same state machine and screens as the
//! local desk, fed by this channel's bytes and drawn into this channel.

use std::io::{self, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use russh::ChannelId;
use russh::server::Handle;
use tokio::sync::{broadcast, mpsc};

use super::{InputParser, log};
use crate::app::{Action, Effect, State, keymap};
use crate::query::SearchIndex;
use crate::store::Desk;
use crate::text::Bidi;

pub enum Event {
    Input(Vec<u8>),
    Resize(u16, u16),
    Close,
}

pub struct SessionConfig {
    pub desk: Desk,
    /// The server's index, shared: only files that differ are folded again.
    pub index: SearchIndex,
    pub reviewer: String,
    pub read_only: bool,
    pub bidi: Bidi,
    pub color: bool,
    pub size: (u16, u16),
}

/// Collects what the terminal writes, to send as one channel message a frame.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Sink {
    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .map(|mut b| std::mem::take(&mut *b))
            .unwrap_or_default()
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Ok(mut b) = self.0.lock() {
            b.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// crossterm's backend, except that the size is the client's: asking the
/// server process for its terminal would fail (a server has none) or lie.
struct SessionBackend {
    inner: CrosstermBackend<Sink>,
    size: Size,
}

impl Backend for SessionBackend {
    type Error = io::Error;
    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(Position::ORIGIN)
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> io::Result<Size> {
        Ok(self.size)
    }
    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size,
            pixels: Size::default(),
        })
    }
    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

const ENTER: &str = "\x1b[?1049h\x1b[?25l";
const LEAVE: &str = "\x1b[?25h\x1b[?1049l";
/// How long a lone ESC waits for the rest of a key sequence.
const ESC_WAIT: Duration = Duration::from_millis(40);

async fn send(handle: &Handle, channel: ChannelId, bytes: Vec<u8>) -> bool {
    bytes.is_empty() || handle.data(channel, bytes).await.is_ok()
}

/// Apply keys to the state; false if the session must end (quit or a bug).
fn apply(state: &mut State, keys: Vec<KeyEvent>) -> bool {
    for k in keys {
        // Ctrl-c quits from anywhere, as locally; Ctrl-z has no meaning here.
        if k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char('z') {
            continue;
        }
        if let Some(action) = keymap::action_for(state.context(), &k) {
            state.update(action);
        }
        if state.quit {
            return false;
        }
    }
    true
}

pub async fn run(
    cfg: SessionConfig,
    handle: Handle,
    channel: ChannelId,
    mut events: mpsc::UnboundedReceiver<Event>,
    saved_tx: broadcast::Sender<()>,
    mut saved_rx: broadcast::Receiver<()>,
) {
    let mut state = State::with_index(
        cfg.desk,
        cfg.index,
        cfg.reviewer.clone(),
        cfg.bidi,
        cfg.color,
    );
    if cfg.read_only {
        state.read_only = Some("your role is viewer".into());
    }
    let (w, h) = cfg.size;
    state.update(Action::Resize(w, h));
    let sink = Sink::default();
    let backend = SessionBackend {
        inner: CrosstermBackend::new(sink.clone()),
        size: Size::new(w, h),
    };
    let Ok(mut terminal) = Terminal::new(backend) else {
        let _ = handle.close(channel).await;
        return;
    };
    let mut start = ENTER.as_bytes().to_vec();
    if cfg.bidi != Bidi::Logical {
        start.extend_from_slice(b"\x1b[8l");
    }
    let mut parser = InputParser::default();
    let mut dirty = true;
    let mut pending_start = Some(start);
    loop {
        if dirty {
            let drawn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                terminal.draw(|f| crate::ui::render(&state, f)).map(|_| ())
            }));
            if !matches!(drawn, Ok(Ok(()))) {
                log(&format!(
                    "{}: drawing failed; closing this session",
                    cfg.reviewer
                ));
                break;
            }
            let mut bytes = pending_start.take().unwrap_or_default();
            bytes.extend(b"\x1b[?2026h");
            bytes.extend(sink.take());
            bytes.extend(b"\x1b[?2026l");
            if !send(&handle, channel, bytes).await {
                break;
            }
            dirty = false;
        }
        let wait = if parser.has_pending() {
            ESC_WAIT
        } else {
            Duration::from_secs(1)
        };
        let saves_before = state.saves;
        let keep_going = tokio::select! {
            ev = events.recv() => match ev {
                Some(Event::Input(bytes)) => {
                    dirty = true;
                    let keys = parser.feed(&bytes);
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| apply(&mut state, keys)))
                        .unwrap_or(false)
                }
                Some(Event::Resize(w, h)) => {
                    terminal.backend_mut().size = Size::new(w, h);
                    state.update(Action::Resize(w, h));
                    dirty = true;
                    true
                }
                Some(Event::Close) | None => false,
            },
            _ = saved_rx.recv() => {
                dirty |= state.reload_now();
                true
            }
            _ = tokio::time::sleep(wait) => {
                if parser.has_pending() {
                    dirty = true;
                    let keys = parser.flush();
                    apply(&mut state, keys)
                } else {
                    dirty |= state.update(Action::CheckDisk);
                    true
                }
            }
        };
        if state.saves != saves_before {
            let _ = saved_tx.send(());
        }
        for effect in std::mem::take(&mut state.effects) {
            match effect {
                Effect::Copy(text) => {
                    let mut out = Vec::new();
                    let _ = crossterm::queue!(
                        out,
                        crossterm::clipboard::CopyToClipboard::to_clipboard_from(text)
                    );
                    if !send(&handle, channel, out).await {
                        break;
                    }
                }
                Effect::EditNote(_) => {
                    state.report_error(
                        "$EDITOR is not available over claimdesk serve; use n to edit the note"
                            .into(),
                    );
                    dirty = true;
                }
            }
        }
        if !keep_going {
            break;
        }
    }
    let mut end = Vec::new();
    if cfg.bidi != Bidi::Logical {
        end.extend_from_slice(b"\x1b[8h");
    }
    end.extend_from_slice(LEAVE.as_bytes());
    let _ = send(&handle, channel, end).await;
    let _ = handle.exit_status_request(channel, 0).await;
    let _ = handle.close(channel).await;
    log(&format!("{}: session ended", cfg.reviewer));
}
