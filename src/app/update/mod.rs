//! `update`, split by where the action lands: the front end's own actions
//! here, then the overlay if one is open, else the view. One file per view
//! or overlay.

mod claims;
mod picker;
mod prompt;
mod stats;

use super::screen::{Overlay, View};
use super::{Action, App, Effect};

pub(super) fn dispatch(app: &mut App, action: Action) {
    match action {
        Action::Layout(layout) => {
            app.screen.layout = layout;
            app.clamp_scroll();
            app.out.redraw = false;
        }
        Action::CheckDisk => {
            let found = app.session.look_for_changes();
            app.after_reload(found);
        }
        Action::OthersSaved => {
            let found = app.session.reload_now();
            app.after_reload(found);
        }
        Action::NoteEdited(note) => app.note_edited(note),
        Action::EffectFailed(why) => app.screen.error(why),
        Action::Quit => app.out.quit = true,
        Action::Suspend if app.screen.capabilities.suspend => app.out.effects.push(Effect::Suspend),
        Action::Suspend => app
            .screen
            .error("Ctrl-z: this session cannot be suspended (there is no shell behind it)"),
        action => match app.screen.overlay.take() {
            Some(Overlay::Help { scroll }) => app.update_help(scroll, action),
            Some(Overlay::Picker(p)) => app.update_picker(p, action),
            Some(Overlay::Search) => app.update_search(action),
            Some(Overlay::Note { buffer }) => app.update_note(buffer, action),
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
            Some(Overlay::Help { scroll }) => *scroll = (*scroll).min(max),
            _ => match &mut self.screen.view {
                View::Main { detail_scroll, .. } => *detail_scroll = (*detail_scroll).min(max),
                View::Claim { scroll } => *scroll = (*scroll).min(max),
                View::Article | View::Stats { .. } => {}
            },
        }
    }

    fn after_reload(&mut self, found: super::session::Reload) {
        if found.changed {
            self.screen.list.invalidate();
            self.screen.list.refilter(&mut self.session);
        }
        if let Some(p) = found.problem {
            self.screen.error(format!("not reloaded: {p}"));
        }
        self.out.redraw = found.changed || self.screen.message.is_some();
    }

    fn update_help(&mut self, scroll: usize, action: Action) {
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
        self.screen.overlay = Some(Overlay::Help {
            scroll: scroll.min(max),
        });
    }
}
