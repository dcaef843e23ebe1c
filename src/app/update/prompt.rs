//! The two text prompts: search as you type, and the inline note.

use super::super::screen::Overlay;
use super::super::{Action, App};

impl App {
    pub(super) fn update_search(&mut self, action: Action) {
        let search = &mut self.screen.list.filter.search;
        match action {
            Action::Input(c) => search.push(c),
            Action::Paste(text) => search.push_str(text.lines().next().unwrap_or("")),
            Action::Backspace => {
                search.pop();
            }
            Action::ClearInput => search.clear(),
            Action::Confirm => return,
            Action::Back => {
                search.clear();
                self.screen.list.refilter(&mut self.session);
                return;
            }
            _ => {}
        }
        self.screen.list.refilter(&mut self.session);
        self.screen.overlay = Some(Overlay::Search);
    }

    pub(super) fn update_note(&mut self, mut buffer: String, action: Action) {
        match action {
            Action::Input(c) => buffer.push(c),
            Action::Paste(text) => buffer.push_str(&text),
            Action::Backspace => {
                buffer.pop();
            }
            Action::ClearInput => buffer.clear(),
            Action::Confirm => return self.save_note(buffer),
            Action::Back => return self.screen.info("note not changed"),
            _ => {}
        }
        self.screen.overlay = Some(Overlay::Note { buffer });
    }
}
