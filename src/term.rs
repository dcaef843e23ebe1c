//! The terminal edge: raw mode and the alternate screen (always restored:
//! on quit, error, panic, SIGTERM and SIGHUP), the event loop, and the
//! effects `update` asks for (clipboard, external editor).

use std::io::{self, Stdout, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
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
/// How long we sleep waiting for a key; bounds how late we notice a signal.
const POLL: Duration = Duration::from_millis(250);

fn enter(bidi: Bidi) -> io::Result<()> {
    crossterm::terminal::enable_raw_mode()?;
    let mut out = io::stdout();
    execute!(out, EnterAlternateScreen, cursor::Hide)?;
    if bidi == Bidi::Reorder {
        out.write_all(BDSM_EXPLICIT.as_bytes())?;
        out.flush()?;
    }
    Ok(())
}

/// Put the terminal back. Errors are ignored: after a hang-up there is no terminal to restore.
fn leave(bidi: Bidi) {
    let mut out = io::stdout();
    if bidi == Bidi::Reorder {
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
    let bidi = cli.bidi.resolve();
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut state = State::new(desk, reviewer, bidi, color);

    let stop = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        signal_hook::flag::register(sig, Arc::clone(&stop))
            .map_err(|e| io_failure("cannot watch signals", e))?;
    }
    install_panic_hook(bidi);
    enter(bidi).map_err(|e| io_failure("cannot set up the terminal", e))?;
    let _session = Session { bidi };
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))
        .map_err(|e| io_failure("cannot open the terminal", e))?;
    event_loop(&mut terminal, &mut state, &stop).map_err(|e| io_failure("terminal error", e))
}

fn draw(terminal: &mut Terminal<CrosstermBackend<Stdout>>, state: &State) -> io::Result<()> {
    // Synchronized output: the terminal shows the whole frame at once, no tearing over SSH.
    execute!(io::stdout(), BeginSynchronizedUpdate)?;
    terminal.draw(|f| crate::ui::render(state, f))?;
    execute!(io::stdout(), EndSynchronizedUpdate)
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    state: &mut State,
    stop: &AtomicBool,
) -> io::Result<()> {
    let size = terminal.size()?;
    state.update(crate::app::Action::Resize(size.width, size.height));
    let mut dirty = true;
    let mut last_check = Instant::now();
    while !state.quit && !stop.load(Ordering::Relaxed) {
        if dirty {
            draw(terminal, state)?;
            dirty = false;
        }
        if event::poll(POLL)? {
            match event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => {
                    if let Some(action) = keymap::action_for(state.context(), &k) {
                        dirty |= state.update(action);
                    }
                }
                Event::Resize(w, h) => {
                    state.update(crate::app::Action::Resize(w, h));
                    terminal.autoresize()?;
                    dirty = true;
                }
                _ => {}
            }
            dirty |= run_effects(terminal, state)?;
        }
        if last_check.elapsed() >= DISK_CHECK {
            last_check = Instant::now();
            dirty |= state.update(crate::app::Action::CheckDisk);
        }
    }
    Ok(())
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
                    Ok(text) => state.note_edited(text),
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
