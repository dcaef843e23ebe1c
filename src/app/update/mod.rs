//! `update`, split by where the action lands: the front end's own actions
//! here, then the overlay if one is open, else the view. One file per view
//! or overlay.

mod claims;
mod evidence;
mod picker;
mod prompt;
mod queue;
mod stats;
mod triage;

use super::screen::{Overlay, View};
use super::{Action, App, Effect};
use crate::model::ClaimId;
use crate::query::Delta;
use crate::store::Seen;
use crate::text::terminal::Emulator;

pub(super) fn dispatch(app: &mut App, action: Action) {
    // A claim just marked keeps the cursor until a pause, or until the
    // reviewer does anything else (writing its note, or moving on).
    if app.screen.advance_due.is_some() && action.from_reviewer() {
        app.screen.advance_due = None;
    }
    match action {
        Action::Layout(layout) => {
            app.screen.layout = layout;
            app.clamp_scroll();
            app.out.redraw = false;
        }
        Action::CheckDisk => {
            app.session.check_disk();
            app.catch_up();
        }
        Action::DeskChanged => app.catch_up(),
        Action::NoteEdited(note) => app.note_edited(note),
        Action::Presence(who) => {
            app.out.redraw = who != app.screen.others;
            app.screen.others = who;
        }
        Action::TerminalIs(reply) => {
            let display = &mut app.screen.display;
            let emulator = Emulator::from_version(&reply);
            if emulator.overrides_env() {
                let bidi = display.bidi_choice.resolve(emulator);
                app.out.redraw = bidi != display.bidi;
                display.bidi = bidi;
            }
        }
        Action::EffectFailed(why) => app.screen.error(why),
        Action::Unbound(key) => {
            let help = super::keymap::key_for(app.context(), &Action::Help)
                .map(|k| format!("; {k} lists the keys"))
                .unwrap_or_default();
            let label = super::keymap::key_label(&key);
            let here = super::keymap::context_name(app.context());
            app.screen
                .info(format!("{label} does nothing {here}{help}"));
        }
        Action::Quit => app.out.quit = true,
        Action::Tick if app.advance_is_due() => {
            if let Some((id, _)) = app.screen.advance_due.take() {
                let on = app.advance_after(&id);
                app.screen.info(format!("{id} marked{on}"));
            }
        }
        Action::Tick => {
            let due = app.screen.message_expires();
            app.out.redraw = due.is_some_and(|t| t <= std::time::Instant::now());
            if app.out.redraw {
                app.screen.message = None;
            }
        }
        Action::Suspend if app.screen.capabilities.suspend => app.out.effects.push(Effect::Suspend),
        Action::Suspend => app
            .screen
            .error("Ctrl-z: this session cannot be suspended (there is no shell behind it)"),
        action => match app.screen.overlay.take() {
            Some(Overlay::Help { scroll }) => app.update_help(scroll, action, false),
            Some(Overlay::Messages { scroll }) => app.update_help(scroll, action, true),
            Some(Overlay::Picker(p)) => app.update_picker(p, action),
            Some(Overlay::Search) => app.update_search(action),
            Some(Overlay::Note(ed)) => app.update_note(ed, action),
            Some(conflict @ Overlay::NoteConflict { .. }) => {
                app.update_note_conflict(conflict, action)
            }
            Some(Overlay::Evidence {
                claim,
                cursor,
                input,
                replacing,
            }) => app.update_evidence(claim, cursor, input, replacing, action),
            None => match app.screen.view {
                View::Stats { cell } => app.update_stats(cell, action),
                _ => app.update_claims(action),
            },
        },
    }
}

impl App {
    /// Keep every scroll position within what the last frame could show.
    fn clamp_scroll(&mut self) {
        let max = self.screen.layout.scroll_max;
        match &mut self.screen.overlay {
            Some(Overlay::Help { scroll } | Overlay::Messages { scroll }) => {
                *scroll = (*scroll).min(max)
            }
            _ => match &mut self.screen.view {
                View::Main { detail_scroll, .. } => *detail_scroll = (*detail_scroll).min(max),
                View::Claim { scroll } => *scroll = (*scroll).min(max),
                View::Article | View::Stats { .. } => {}
            },
        }
    }

    /// Take in what the hub published since this session last looked:
    /// the list through the deltas, then what the reviewer must be told.
    /// If a change is to the claim under the cursor, say who changed what;
    /// if it took that claim out of the list, say so and which claim the
    /// cursor is on now.
    pub(super) fn catch_up(&mut self) {
        self.catch_up_after(None);
    }

    /// `catch_up`, after this session's own save to claim `mine`, which
    /// the caller tells about.
    pub(super) fn catch_up_after(&mut self, mine: Option<&ClaimId>) {
        let on = (self.selected_claim())
            .filter(|c| Some(&c.id) != mine)
            .map(|c| (c.id.clone(), Seen::of(c)));
        let Some(caught) = self.session.catch_up() else {
            self.out.redraw = false;
            return;
        };
        let deltas = caught.deltas.as_deref();
        self.screen
            .list
            .apply(deltas, &caught.before, &mut self.session);
        if let Some((id, seen)) = on {
            self.tell_about_changes(&id, &seen);
        }
        let mut problems = Vec::new();
        for d in deltas.unwrap_or_default() {
            match d {
                Delta::Unreadable(why) => self.screen.error(why.clone()),
                Delta::FilesAdded { problems: p, .. } => problems.extend(p.iter().cloned()),
                _ => {}
            }
        }
        if let Some(first) = problems.first() {
            let more = match problems.len() {
                1 => String::new(),
                n => format!(" (and {} more problem(s))", n - 1),
            };
            self.screen.error(format!(
                "left out while loading: {first}{more}; the rest of the desk is usable; \
                 fix the file and run `claimdesk check`"
            ));
        } else if caught.before.loading.is_some() && self.session.loading().is_none() {
            // A file left out earlier stays on screen until dismissed.
            let showing_error = self.screen.message.as_ref().is_some_and(|m| m.error);
            if !showing_error {
                let n = self.session.desk().claim_count();
                self.screen.info(format!("loaded: {n} claims"));
            }
        }
    }

    fn tell_about_changes(&mut self, id: &ClaimId, seen: &Seen) {
        let desk = self.session.desk();
        let Some(now) = desk.find(id).and_then(|r| desk.get(r)) else {
            return self.screen.info(format!("{id} was removed from its file"));
        };
        if Seen::of(now) == *seen {
            return;
        }
        let what = match now.history.get(seen.history..).and_then(|h| h.last()) {
            Some(h) if h.status != h.previous() => format!("{} set {id} to {}", h.by, h.status),
            Some(h) if h.note.is_some() => format!("{} changed the note of {id}", h.by),
            Some(h) => format!("{} changed {id}", h.by),
            None => format!("{id} was edited in its file"),
        };
        let here = self.selected_claim().map(|c| c.id.clone());
        match here {
            Some(h) if h == *id => self.screen.info(what),
            Some(h) => self
                .screen
                .info(format!("{what}; it left the list, the cursor is on {h}")),
            None => self
                .screen
                .info(format!("{what}; it left the list, which is empty now")),
        }
    }

    /// The help and the message log: text that scrolls.
    fn update_help(&mut self, scroll: usize, action: Action, messages: bool) {
        let page = self.screen.layout.scroll_page.max(1);
        let max = self.screen.layout.scroll_max;
        let scroll = match action {
            Action::Back => return,
            Action::Down => scroll.saturating_add(1),
            Action::Up => scroll.saturating_sub(1),
            Action::PageDown => scroll.saturating_add(page),
            Action::PageUp => scroll.saturating_sub(page),
            Action::HalfPageDown => scroll.saturating_add(page / 2),
            Action::HalfPageUp => scroll.saturating_sub(page / 2),
            Action::Top => 0,
            Action::Bottom => max,
            _ => scroll,
        };
        let scroll = scroll.min(max);
        self.screen.overlay = Some(if messages {
            Overlay::Messages { scroll }
        } else {
            Overlay::Help { scroll }
        });
    }
}
