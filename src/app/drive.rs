//! The one event loop, shared by the local terminal and every SSH channel:
//! input from a front end becomes actions, `update` applies them, and the
//! front end draws when something changed. Redraws are coalesced (nothing is
//! drawn while nothing changes), and other reviewers' changes are looked for
//! once a second. A front end is a small trait, so the loop also runs in
//! tests against a scripted front end and ratatui's test backend.

use std::io;
use std::sync::MutexGuard;
use std::time::{Duration, Instant};

use super::keymap::KeyCode;
use super::screen::Layout;
use super::{Action, App, Effect, Key, keymap, update};
use crate::model::ClaimId;
use crate::text::Bidi;

/// How often an idle desk looks for other reviewers' changes.
pub const DISK_CHECK: Duration = Duration::from_secs(1);
/// While keys keep coming (a held key, a fast typist over SSH), frames wait
/// for them, but never longer than this.
const MAX_FRAME_DELAY: Duration = Duration::from_millis(50);
/// While the desk's files still arrive, how often they are taken in: often
/// enough to look live, seldom enough that typing meanwhile stays instant.
pub const ARRIVALS: Duration = Duration::from_millis(50);

/// When arriving files are next taken in: `ARRIVALS` after the last
/// intake started, so a long intake does not push the rest of the desk a
/// whole period later, but never sooner than a quarter period after it
/// ended, so keys typed meanwhile are answered first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    next: Instant,
}

impl Pace {
    pub fn from(start: Instant) -> Pace {
        Pace {
            next: start + ARRIVALS,
        }
    }

    /// How long from `now` until the next intake (zero when it is due).
    pub fn wait(&self, now: Instant) -> Duration {
        self.next.saturating_duration_since(now)
    }

    /// An intake ran from `started` to `ended`.
    pub fn taken(&mut self, started: Instant, ended: Instant) {
        self.next = (started + ARRIVALS).max(ended + ARRIVALS / 4);
    }
}

/// Input from a front end.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Key(Key),
    /// Text pasted into the terminal.
    Paste(String),
    /// The terminal's new size, in cells.
    Resize(u16, u16),
    /// Another session of the same server saved a change.
    OthersSaved,
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
    /// A change was saved: tell whoever else should know.
    fn saved(&mut self) {}
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
    let mut last_check = Instant::now();
    let mut last_draw = Instant::now();
    let mut on: Option<ClaimId> = None;
    let mut arrivals = Pace::from(Instant::now());
    loop {
        let here = app.selected_claim().map(|c| &c.id);
        if here != on.as_ref() {
            on = here.cloned();
            frontend.looking_at(on.as_ref());
        }
        let coalesce = frontend.input_pending() && last_draw.elapsed() < MAX_FRAME_DELAY;
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
        let mut wait = DISK_CHECK.saturating_sub(last_check.elapsed());
        if let Some(due) = app.screen().message_expires() {
            wait = wait.min(due.saturating_duration_since(Instant::now()));
        }
        let loading = app.session().loading().is_some();
        if loading {
            wait = wait.min(arrivals.wait(Instant::now()));
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
            Some(Event::OthersSaved) => Some(Action::OthersSaved),
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
            .message_expires()
            .is_some_and(|due| due <= Instant::now())
        {
            dirty |= apply(app, frontend, Action::Tick)?;
        }
        // Taking arrivals in costs what arrived, not the desk: an even pace.
        let started = Instant::now();
        if loading && arrivals.wait(started).is_zero() {
            dirty |= apply(app, frontend, Action::Arrived)?;
            arrivals.taken(started, Instant::now());
        }
        if last_check.elapsed() >= DISK_CHECK {
            last_check = Instant::now();
            dirty |= apply(app, frontend, Action::CheckDisk)?;
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
    if outcome.saved {
        frontend.saved();
    }
    let mut redraw = outcome.redraw;
    for effect in outcome.effects {
        redraw = true;
        if let Some(result) = frontend.perform(effect)? {
            let _held = frontend.hold();
            let more = update(app, result);
            if more.saved {
                frontend.saved();
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrivals_keep_their_period_from_each_intake_start_and_leave_room_for_keys() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let mut pace = Pace::from(t0);
        assert_eq!(pace.wait(t0), ARRIVALS);
        assert!(pace.wait(t0 + ARRIVALS).is_zero());
        // A short intake: the next is a period after it started.
        pace.taken(t0 + ms(50), t0 + ms(55));
        assert_eq!(pace.wait(t0 + ms(55)), ms(45));
        // A long one: a quarter period after it ended, not a whole one.
        pace.taken(t0 + ms(100), t0 + ms(147));
        assert_eq!(pace.wait(t0 + ms(147)), ARRIVALS / 4);
    }
}
