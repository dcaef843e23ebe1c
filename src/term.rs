//! The local terminal front end: raw mode and the alternate screen (always
//! restored: on quit, error, panic, SIGTERM and SIGHUP), crossterm's events
//! converted into the desk's own keys, and the effects only a local
//! terminal can carry out (the external editor, suspending to the shell).
//! The loop itself is `app::drive`, shared with the SSH front end.

use std::collections::VecDeque;
use std::io::{self, IsTerminal, Stdout, Write};
use std::os::fd::AsRawFd;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use crossterm::event::{self, Event as CtEvent, KeyEvent, KeyEventKind, KeyModifiers};

use crate::app::drive::{self, Event, Frontend};
use crate::app::input::{ESC_WAIT, InputParser};
use crate::app::{
    Action, App, Capabilities, Display, Effect, Key, KeyCode, Layout, Screen, Session,
};
use crate::config::Config;
use crate::query::Hub;
use crate::text::Bidi;
use crate::ui::output::{self, Output};

/// Held while an action is applied (it may be saving). Shutting down on a
/// signal takes it first, so a save in flight always completes.
static UPDATING: Mutex<()> = Mutex::new(());

fn updating() -> MutexGuard<'static, ()> {
    UPDATING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn enter(bidi: Bidi) -> io::Result<()> {
    crossterm::terminal::enable_raw_mode()?;
    let mut out = io::stdout();
    out.write_all(&output::start_sequence(bidi))?;
    out.flush()
}

/// Put the terminal back. Errors are ignored: after a hang-up there is no terminal to restore.
fn leave() {
    let mut out = io::stdout();
    let _ = out.write_all(&output::end_sequence());
    let _ = out.flush();
    let _ = crossterm::terminal::disable_raw_mode();
}

/// Restores the terminal when dropped, whichever way the desk ends.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        leave();
    }
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave();
        previous(info);
    }));
}

fn context(what: &'static str) -> impl Fn(io::Error) -> io::Error {
    move |e| io::Error::new(e.kind(), format!("{what}: {e}"))
}

/// Run the desk of `hub` in this process's terminal until the reviewer quits.
pub fn run(hub: Hub, config: Config) -> io::Result<()> {
    let bidi = config.bidi;
    let session = Session::on(hub, config.reviewer.clone());
    let screen = Screen::new(
        Display {
            bidi,
            bidi_choice: config.bidi_choice,
            color: config.color,
            time_zone: config.time_zone.clone(),
        },
        Capabilities {
            editor: true,
            suspend: true,
        },
    );
    let mut app = App::new(session, screen);
    for n in &config.notices {
        app.notice(n.clone());
    }
    watch_for_the_end().map_err(context("cannot watch signals"))?;
    let (w, h) = crossterm::terminal::size().map_err(context("cannot read the terminal size"))?;
    let mut frontend = Terminal {
        out: io::stdout(),
        output: Output::new(w, h, config.hyperlinks)?,
        bidi,
        ask: if config.bidi_choice.is_auto() {
            Ask::AfterFirstFrame
        } else {
            Ask::No
        },
        queue: VecDeque::new(),
    };
    install_panic_hook();
    enter(bidi).map_err(context("cannot set up the terminal"))?;
    let _restore = Restore;
    drive::run(&mut app, &mut frontend).map_err(context("terminal error"))
}

/// End the process on SIGTERM, SIGHUP, SIGINT or SIGQUIT, and when the
/// terminal hangs up without a signal. This runs on threads of its own:
/// after a hang-up crossterm's reader spins on end-of-file and never returns
/// to our loop, so a flag checked there would never be seen.
fn watch_for_the_end() -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])?;
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            shut_down(sig);
        }
    });
    let stdin = io::stdin();
    if stdin.is_terminal() {
        let fd = stdin.as_raw_fd();
        std::thread::spawn(move || {
            if wait_for_hangup(fd) {
                shut_down(SIGHUP);
            }
        });
    }
    Ok(())
}

/// Block until `fd` reports a hang-up (or an error); false if we cannot tell.
fn wait_for_hangup(fd: i32) -> bool {
    loop {
        // Asking for no events still reports POLLHUP/POLLERR/POLLNVAL: this sleeps until the end.
        let mut p = libc::pollfd {
            fd,
            events: 0,
            revents: 0,
        };
        // SAFETY: `p` is one valid pollfd that lives across the call; nfds is 1.
        let n = unsafe { libc::poll(&mut p, 1, -1) };
        if n < 0 {
            if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return false;
        }
        if p.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
            return true;
        }
    }
}

/// Wait for a save in flight, put the terminal back (if there still is one), and exit.
fn shut_down(signal: i32) -> ! {
    let _no_more_saves = updating();
    leave();
    std::process::exit(128 + signal);
}

/// crossterm's key event as the desk's key; keys the desk has no use for are dropped.
fn key(ev: &KeyEvent) -> Option<Key> {
    use crossterm::event::KeyCode as C;
    let code = match ev.code {
        C::Char(c) => KeyCode::Char(c),
        C::Enter => KeyCode::Enter,
        C::Esc => KeyCode::Esc,
        C::Tab => KeyCode::Tab,
        C::BackTab => KeyCode::BackTab,
        C::Backspace => KeyCode::Backspace,
        C::Delete => KeyCode::Delete,
        C::Up => KeyCode::Up,
        C::Down => KeyCode::Down,
        C::Left => KeyCode::Left,
        C::Right => KeyCode::Right,
        C::Home => KeyCode::Home,
        C::End => KeyCode::End,
        C::PageUp => KeyCode::PageUp,
        C::PageDown => KeyCode::PageDown,
        C::F(n) => KeyCode::F(n),
        _ => return None,
    };
    Some(Key {
        code,
        ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
        alt: ev.modifiers.contains(KeyModifiers::ALT),
    })
}

struct Terminal {
    out: Stdout,
    output: Output,
    bidi: Bidi,
    ask: Ask,
    /// Input read while waiting for the terminal's answer, not yet handed on.
    queue: VecDeque<Event>,
}

/// Where asking the terminal who it is stands.
enum Ask {
    /// The reviewer chose the mode: nothing to ask.
    No,
    AfterFirstFrame,
    /// Asked: until the answers are in, we read the terminal ourselves.
    Asked(Answers),
    Done,
}

/// How long we read the terminal ourselves waiting for its device
/// attributes, which all terminals answer. Keys flow meanwhile; only a
/// terminal that never answers keeps us reading this long.
const ANSWER_WAIT: Duration = Duration::from_secs(5);

/// Reading the terminal ourselves while its answers are due. crossterm must
/// not see them: it would take the XTVERSION reply for keys (a `3` in it
/// would mark a claim). Keys typed meanwhile go through the same parser as
/// SSH sessions', at once.
struct Answers {
    tty: Option<std::fs::File>,
    parser: InputParser,
    until: std::time::Instant,
    size: (u16, u16),
}

impl Answers {
    fn new(size: (u16, u16)) -> Answers {
        Answers {
            tty: std::fs::File::open("/dev/tty").ok(),
            parser: InputParser::default(),
            until: std::time::Instant::now() + ANSWER_WAIT,
            size,
        }
    }

    /// Input that came within `timeout`, and whether the answers are all in.
    fn read(&mut self, timeout: Duration) -> (Vec<Event>, bool) {
        let fd = match &self.tty {
            Some(f) => f.as_raw_fd(),
            None => io::stdin().as_raw_fd(),
        };
        let now = std::time::Instant::now();
        // Short waits: a resize (no SIGWINCH reaches us here) shows within 0.1 s.
        let mut wait = timeout
            .min(self.until.saturating_duration_since(now))
            .min(Duration::from_millis(100));
        if self.parser.has_pending() {
            wait = wait.min(ESC_WAIT);
        }
        let mut events = Vec::new();
        if let Ok((w, h)) = crossterm::terminal::size()
            && (w, h) != self.size
        {
            self.size = (w, h);
            events.push(Event::Resize(w, h));
            wait = Duration::ZERO;
        }
        let mut p = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = wait.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd that lives across the call; nfds is 1.
        let n = unsafe { libc::poll(&mut p, 1, ms) };
        if n > 0 && p.revents & libc::POLLIN != 0 {
            let mut buf = [0u8; 1024];
            // SAFETY: `buf` is valid for writes of its length; poll said the fd is readable.
            let got = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
            if got > 0 {
                events.extend(self.parser.feed(&buf[..got as usize]));
            }
        } else if self.parser.has_pending() {
            events.extend(self.parser.flush());
        }
        let answered = events.contains(&Event::TerminalAttributes);
        let over = answered || std::time::Instant::now() >= self.until;
        if over {
            events.extend(self.parser.flush());
        }
        events.retain(|e| e != &Event::TerminalAttributes);
        (events, over)
    }
}

impl Terminal {
    /// Hand the terminal to something else for a while, then take it back
    /// and draw the whole screen again.
    fn away<T>(&mut self, f: impl FnOnce() -> T) -> io::Result<T> {
        leave();
        let result = f();
        enter(self.bidi)?;
        self.output.invalidate()?;
        Ok(result)
    }
}

impl Frontend for Terminal {
    fn next_event(&mut self, timeout: Duration) -> io::Result<Option<Event>> {
        if let Some(e) = self.queue.pop_front() {
            return Ok(Some(e));
        }
        if let Ask::Asked(answers) = &mut self.ask {
            let (events, over) = answers.read(timeout);
            self.queue.extend(events);
            if over {
                self.ask = Ask::Done;
            }
            return Ok(self.queue.pop_front());
        }
        if !event::poll(timeout)? {
            return Ok(None);
        }
        Ok(match event::read()? {
            CtEvent::Key(k) if k.kind != KeyEventKind::Release => key(&k).map(Event::Key),
            CtEvent::Paste(text) => Some(Event::Paste(text)),
            CtEvent::Resize(w, h) => Some(Event::Resize(w, h)),
            _ => None,
        })
    }

    fn input_pending(&self) -> bool {
        !self.queue.is_empty()
            || (!matches!(self.ask, Ask::Asked(_)) && event::poll(Duration::ZERO).unwrap_or(false))
    }

    fn draw(&mut self, app: &App) -> io::Result<Layout> {
        let (bytes, layout) = self.output.frame(app)?;
        self.out.write_all(&bytes)?;
        if matches!(self.ask, Ask::AfterFirstFrame) {
            let size = crossterm::terminal::size().unwrap_or((0, 0));
            self.ask = Ask::Asked(Answers::new(size));
            self.out.write_all(output::ASK_TERMINAL)?;
        }
        self.out.flush()?;
        Ok(layout)
    }

    fn bidi_changed(&mut self, bidi: Bidi) -> io::Result<()> {
        self.bidi = bidi;
        let bytes = self.output.switch_bidi(bidi)?;
        self.out.write_all(&bytes)?;
        self.out.flush()
    }

    fn resize(&mut self, width: u16, height: u16) -> io::Result<()> {
        self.output.resize(width, height)
    }

    fn perform(&mut self, effect: Effect) -> io::Result<Option<Action>> {
        match effect {
            Effect::Copy(text) => {
                self.out.write_all(&output::clipboard(&text))?;
                self.out.flush()?;
                Ok(None)
            }
            Effect::EditNote(note) => {
                let edited = self.away(|| edit_in_editor(&note))?;
                Ok(Some(match edited {
                    Ok(text) => Action::NoteEdited(text),
                    Err(e) => Action::EffectFailed(format!("editor: {e}")),
                }))
            }
            Effect::Suspend => {
                self.away(|| {
                    // SAFETY: raising a signal at ourselves; SIGTSTP's default
                    // action stops the process until the shell continues it.
                    unsafe { libc::raise(libc::SIGTSTP) };
                })?;
                Ok(None)
            }
        }
    }

    fn hold(&self) -> Option<MutexGuard<'static, ()>> {
        Some(updating())
    }
}

/// Run `$VISUAL` or `$EDITOR` (default `vi`) on a temp file holding `note`.
fn edit_in_editor(note: &str) -> io::Result<String> {
    let mut file = tempfile::Builder::new()
        .prefix("claimdesk-note-")
        .suffix(".txt")
        .tempfile()?;
    file.write_all(note.as_bytes())?;
    file.flush()?;
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".into());
    // The editor setting may carry arguments (`code --wait`): let the shell split it.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(file.path())
        .status()?;
    if !status.success() {
        return Err(io::Error::other(format!(
            "`{editor}` exited with {status}; note not changed"
        )));
    }
    std::fs::read_to_string(file.path())
}
