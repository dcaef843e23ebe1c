//! The one event loop, shared by the local terminal and every SSH channel:
//! input from a front end becomes actions, `update` applies them, and the
//! front end draws when something changed. Redraws are coalesced (nothing is
//! drawn while nothing changes), and the desk's changes (anyone's save, a
//! file arriving) are taken in from the hub just before a frame. A front end
//! is a small trait, so the loop also runs in tests against a scripted
//! front end and ratatui's test backend.

use std::io;
use std::sync::MutexGuard;
use std::time::{Duration, Instant};

use super::keymap::KeyCode;
use super::screen::Layout;
use super::{Action, App, Effect, Key, keymap, update};
use crate::model::ClaimId;
use crate::text::Bidi;

/// How often a desk whose front end is not woken by the hub looks
/// whether the desk changed (a look at a number, no system call).
const CHANGES: Duration = Duration::from_millis(100);
/// While keys keep coming (a held key, a fast typist over SSH), frames wait
/// for them, but never longer than this.
const MAX_FRAME_DELAY: Duration = Duration::from_millis(50);

/// Input from a front end.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Key(Key),
    /// Text pasted into the terminal.
    Paste(String),
    /// The terminal's new size, in cells.
    Resize(u16, u16),
    /// The desk changed: the hub published a view this session has not taken in.
    DeskChanged,
    /// Who else on the same server is on which claim.
    Presence(Vec<(String, ClaimId)>),
    /// The terminal said who it is (its XTVERSION reply).
    TerminalVersion(String),
    /// The terminal's device attributes: whatever else it would answer came before.
    TerminalAttributes,
    /// The terminal or channel is gone.
    Closed,
}

pub trait Frontend {
    /// The next input, waiting at most `timeout`; `None` when nothing came.
    fn next_event(&mut self, timeout: Duration) -> io::Result<Option<Event>>;
    /// Draw `app`; what the frame laid out comes back to the app.
    fn draw(&mut self, app: &App) -> io::Result<Layout>;
    /// The terminal changed size: the next draw fills it anew.
    fn resize(&mut self, width: u16, height: u16) -> io::Result<()>;
    /// Whether more input is already waiting (then a frame can wait for it).
    fn input_pending(&self) -> bool {
        false
    }
    /// Carry out an effect; an action to apply with its result, if any.
    fn perform(&mut self, effect: Effect) -> io::Result<Option<Action>>;
    /// The reviewer is now on this claim (for others to see who is where).
    fn looking_at(&mut self, _claim: Option<&ClaimId>) {}
    /// Right-to-left text is now sent this way: tell the terminal, and
    /// draw the next frame whole.
    fn bidi_changed(&mut self, _bidi: Bidi) -> io::Result<()> {
        Ok(())
    }
    /// Held while an update runs (it may be saving), so that shutting down
    /// on a signal waits for a save in flight.
    fn hold(&self) -> Option<MutexGuard<'static, ()>> {
        None
    }
}

/// Run the desk on `frontend` until the reviewer quits or the front end closes.
pub fn run(app: &mut App, frontend: &mut impl Frontend) -> io::Result<()> {
    let mut dirty = true;
    let mut last_draw = Instant::now();
    let mut on: Option<ClaimId> = None;
    loop {
        let here = app.selected_claim().map(|c| &c.id);
        if here != on.as_ref() {
            on = here.cloned();
            frontend.looking_at(on.as_ref());
        }
        let coalesce = frontend.input_pending() && last_draw.elapsed() < MAX_FRAME_DELAY;
        if !coalesce && app.session().behind() {
            // Others' changes are taken in only where a frame follows at
            // once: a key always lands on the desk the reviewer saw.
            dirty |= apply(app, frontend, Action::DeskChanged)?;
        }
        if dirty && !coalesce {
            last_draw = Instant::now();
            let layout = frontend.draw(app)?;
            if layout != app.screen().layout() {
                // What the frame showed (page size, scroll range) is what the
                // next keys page and scroll by. The frame itself already
                // showed scroll positions clamped, so this needs no redraw.
                update(app, Action::Layout(layout));
            }
            dirty = false;
        }
        let mut wait = CHANGES;
        if let Some(due) = app.screen().next_due() {
            wait = wait.min(due.saturating_duration_since(Instant::now()));
        }
        let action = match frontend.next_event(wait)? {
            // Esc and a key sent together arrive as one Alt-key: read as the two.
            Some(Event::Key(k)) if keymap::after_esc(app.context(), &k).is_some() => {
                let esc = Key::plain(KeyCode::Esc);
                let back = keymap::action_for(app.context(), &esc).unwrap_or(Action::Unbound(esc));
                match step(app, frontend, back)? {
                    Step::Quit => return Ok(()),
                    Step::Redraw(r) => dirty |= r,
                }
                let plain = Key { alt: false, ..k };
                Some(keymap::action_for(app.context(), &plain).unwrap_or(Action::Unbound(plain)))
            }
            // A key that means nothing here says so, rather than nothing.
            Some(Event::Key(k)) => {
                Some(keymap::action_for(app.context(), &k).unwrap_or(Action::Unbound(k)))
            }
            Some(Event::Paste(text)) => Some(Action::Paste(text)),
            Some(Event::Resize(w, h)) => {
                frontend.resize(w, h)?;
                dirty = true;
                None
            }
            Some(Event::DeskChanged) => None,
            Some(Event::Presence(who)) => Some(Action::Presence(who)),
            Some(Event::TerminalVersion(name)) => Some(Action::TerminalIs(name)),
            Some(Event::TerminalAttributes) => None,
            Some(Event::Closed) => return Ok(()),
            None => None,
        };
        if let Some(action) = action {
            let bidi = app.screen().display().bidi;
            let step = step(app, frontend, action)?;
            if app.screen().display().bidi != bidi {
                frontend.bidi_changed(app.screen().display().bidi)?;
            }
            match step {
                Step::Quit => return Ok(()),
                Step::Redraw(r) => dirty |= r,
            }
        }
        if app
            .screen()
            .next_due()
            .is_some_and(|due| due <= Instant::now())
        {
            dirty |= apply(app, frontend, Action::Tick)?;
        }
    }
}

enum Step {
    Quit,
    Redraw(bool),
}

/// Apply one action with everything it asks of the front end.
fn step(app: &mut App, frontend: &mut impl Frontend, action: Action) -> io::Result<Step> {
    let outcome = {
        let _held = frontend.hold();
        update(app, action)
    };
    let mut redraw = outcome.redraw;
    for effect in outcome.effects {
        redraw = true;
        if let Some(result) = frontend.perform(effect)? {
            let _held = frontend.hold();
            update(app, result);
        }
    }
    Ok(if outcome.quit {
        Step::Quit
    } else {
        Step::Redraw(redraw)
    })
}

fn apply(app: &mut App, frontend: &mut impl Frontend, action: Action) -> io::Result<bool> {
    Ok(match step(app, frontend, action)? {
        Step::Quit => false,
        Step::Redraw(r) => r,
    })
}
