//! The terminal edge: raw mode and the alternate screen (always restored:
//! on quit, error, panic, SIGTERM and SIGHUP), the event loop, and the
//! effects `update` asks for (clipboard, external editor).

use std::io::{self, IsTerminal, Stdout, Write};
use std::os::fd::AsRawFd;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyEventKind};
use crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::app::{Effect, State, keymap};
use crate::cli::{self, Cli, Failure};
use crate::text::Bidi;

/// Ask BiDi-aware terminals not to reorder what we already reordered
/// (the terminal BiDi working group's BDSM mode); others ignore it.
const BDSM_EXPLICIT: &str = "\x1b[8l";
const BDSM_IMPLICIT: &str = "\x1b[8h";

/// How often we look for other reviewers' changes while idle.
const DISK_CHECK: Duration = Duration::from_secs(1);
/// How long we wait for a key before looking at the disk again.
const POLL: Duration = Duration::from_millis(500);

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
    execute!(out, EnterAlternateScreen, cursor::Hide)?;
    if bidi != Bidi::Logical {
        out.write_all(BDSM_EXPLICIT.as_bytes())?;
        out.flush()?;
    }
    Ok(())
}

/// Put the terminal back. Errors are ignored: after a hang-up there is no terminal to restore.
fn leave(bidi: Bidi) {
    let mut out = io::stdout();
    if bidi != Bidi::Logical {
        let _ = out.write_all(BDSM_IMPLICIT.as_bytes());
    }
    let _ = execute!(out, LeaveAlternateScreen, cursor::Show);
    let _ = crossterm::terminal::disable_raw_mode();
}

/// Restores the terminal when dropped, whichever way the desk ends.
struct Session {
    bidi: Bidi,
}

impl Drop for Session {
    fn drop(&mut self) {
        leave(self.bidi);
    }
}

fn install_panic_hook(bidi: Bidi) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave(bidi);
        previous(info);
    }));
}

fn io_failure(what: &str, e: io::Error) -> Failure {
    Failure {
        code: cli::EXIT_DATA,
        message: format!("{what}: {e}"),
    }
}

pub fn run(cli: &Cli) -> Result<(), Failure> {
    let desk = cli::load(cli)?;
    let reviewer = cli::reviewer(cli)?;
    let bidi = cli::bidi(cli, &desk.settings);
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut state = State::new(desk, reviewer, bidi, color);

    watch_for_the_end(bidi).map_err(|e| io_failure("cannot watch signals", e))?;
    install_panic_hook(bidi);
    enter(bidi).map_err(|e| io_failure("cannot set up the terminal", e))?;
    let _session = Session { bidi };
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))
        .map_err(|e| io_failure("cannot open the terminal", e))?;
    event_loop(&mut terminal, &mut state).map_err(|e| io_failure("terminal error", e))
}

/// End the process on SIGTERM, SIGHUP, SIGINT or SIGQUIT, and when the
/// terminal hangs up without a signal. This runs on threads of its own:
/// after a hang-up crossterm's reader spins on end-of-file and never returns
/// to our loop, so a flag checked there would never be seen.
fn watch_for_the_end(bidi: Bidi) -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])?;
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            shut_down(bidi, sig);
        }
    });
    let stdin = io::stdin();
    if stdin.is_terminal() {
        let fd = stdin.as_raw_fd();
        std::thread::spawn(move || {
            if wait_for_hangup(fd) {
                shut_down(bidi, SIGHUP);
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
fn shut_down(bidi: Bidi, signal: i32) -> ! {
    let _no_more_saves = updating();
    leave(bidi);
    std::process::exit(128 + signal);
}

/// Whether to send evidence URLs as OSC 8 hyperlinks. `CLAIMDESK_HYPERLINKS`
/// (1/0) decides; else only terminals known to support them get them (most
/// others ignore the sequence, but some print it). Over SSH only TERM is
/// usually forwarded, so set the variable there.
fn hyperlinks_enabled() -> bool {
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    match var("CLAIMDESK_HYPERLINKS").as_str() {
        "1" | "on" | "yes" | "true" => return true,
        "0" | "off" | "no" | "false" => return false,
        _ => {}
    }
    let term = var("TERM");
    ["iTerm.app", "WezTerm", "vscode"].contains(&var("TERM_PROGRAM").as_str())
        || var("VTE_VERSION").parse::<u32>().is_ok_and(|v| v >= 5000)
        || !var("WT_SESSION").is_empty()
        || !var("KITTY_WINDOW_ID").is_empty()
        || ["kitty", "foot", "wezterm", "alacritty"]
            .iter()
            .any(|t| term.contains(t))
}

/// What the last frame showed as hyperlinks, so unchanged ones are not resent.
struct Frames {
    hyperlinks: bool,
    links: Vec<crate::ui::Link>,
}

fn draw(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    state: &State,
    frames: &mut Frames,
) -> io::Result<()> {
    // Synchronized output: the terminal shows the whole frame at once, no tearing over SSH.
    let mut out = io::stdout();
    execute!(out, BeginSynchronizedUpdate)?;
    let area = terminal.draw(|f| crate::ui::render(state, f))?.area;
    if frames.hyperlinks {
        let links = crate::ui::links(state, area);
        if links != frames.links {
            // Rewrite the same text over the same cells, wrapped in OSC 8.
            for l in &links {
                if let Some(url) = crate::text::hyperlink_target(&l.url) {
                    crossterm::queue!(
                        out,
                        cursor::MoveTo(l.x, l.y),
                        crossterm::style::Print(format!(
                            "\x1b]8;;{url}\x1b\\{}\x1b]8;;\x1b\\",
                            l.text
                        ))
                    )?;
                }
            }
            frames.links = links;
        }
    }
    execute!(out, EndSynchronizedUpdate)
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    state: &mut State,
) -> io::Result<()> {
    let size = terminal.size()?;
    state.update(crate::app::Action::Resize(size.width, size.height));
    let mut dirty = true;
    let mut last_check = Instant::now();
    let mut frames = Frames {
        hyperlinks: hyperlinks_enabled(),
        links: Vec::new(),
    };
    while !state.quit {
        if dirty {
            draw(terminal, state, &mut frames)?;
            dirty = false;
        }
        if event::poll(POLL)? {
            match event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => {
                    if let Some(action) = keymap::action_for(state.context(), &k) {
                        dirty |= updating_with(|| state.update(action));
                    }
                }
                Event::Resize(w, h) => {
                    state.update(crate::app::Action::Resize(w, h));
                    terminal.autoresize()?;
                    frames.links.clear(); // the resize cleared the screen
                    dirty = true;
                }
                _ => {}
            }
            if run_effects(terminal, state)? {
                frames.links.clear(); // the editor took the screen
                dirty = true;
            }
        }
        if last_check.elapsed() >= DISK_CHECK {
            last_check = Instant::now();
            dirty |= state.update(crate::app::Action::CheckDisk);
        }
    }
    Ok(())
}

/// Run `f` (which may save) so that a shutdown waits for it.
fn updating_with<T>(f: impl FnOnce() -> T) -> T {
    let _guard = updating();
    f()
}

/// Carry out what `update` asked for; true when the screen must be redrawn.
fn run_effects(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    state: &mut State,
) -> io::Result<bool> {
    let mut redraw = false;
    for effect in std::mem::take(&mut state.effects) {
        match effect {
            Effect::Copy(text) => {
                execute!(
                    io::stdout(),
                    crossterm::clipboard::CopyToClipboard::to_clipboard_from(text)
                )?;
            }
            Effect::EditNote(note) => {
                leave(state.bidi);
                let edited = edit_in_editor(&note);
                enter(state.bidi)?;
                // Not `Terminal::clear`: it asks the terminal for the cursor position,
                // which fails over a slow link or with emulators that do not answer.
                // A resize to the same size clears and forces a full redraw without asking.
                let size = terminal.size()?;
                terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
                match edited {
                    Ok(text) => updating_with(|| state.note_edited(text)),
                    Err(e) => state.report_error(format!("editor: {e}")),
                }
                redraw = true;
            }
        }
    }
    Ok(redraw)
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
