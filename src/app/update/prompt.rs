//! The two text prompts: search as you type, and the inline note.

use crate::model::ClaimId;
use crate::store::Seen;

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

    pub(super) fn update_note(
        &mut self,
        mut buffer: String,
        claim: ClaimId,
        seen: Seen,
        action: Action,
    ) {
        match action {
            Action::Input(c) => buffer.push(c),
            Action::Paste(text) => buffer.push_str(&text),
            Action::Backspace => {
                buffer.pop();
            }
            Action::ClearInput => buffer.clear(),
            Action::Confirm => return self.save_note(claim, buffer, seen),
            Action::Back => return self.screen.info("note not changed"),
            _ => {}
        }
        self.screen.overlay = Some(Overlay::Note {
            buffer,
            claim,
            seen,
        });
    }

    /// Someone saved a note while this reviewer wrote theirs.
    pub(super) fn update_note_conflict(
        &mut self,
        claim: ClaimId,
        theirs: Option<String>,
        who: String,
        mine: String,
        seen: Seen,
        action: Action,
    ) {
        match action {
            Action::KeepTheirs => self.screen.info(format!("{claim}: kept their note")),
            Action::KeepMine => self.save_note(claim, mine, seen),
            Action::Merge => {
                let buffer = match theirs.as_deref().map(str::trim_end) {
                    Some(t) if !t.is_empty() => format!("{t}\n\n{mine}"),
                    _ => mine,
                };
                self.screen.overlay = Some(Overlay::Note {
                    buffer,
                    claim,
                    seen,
                });
            }
            Action::Back => {
                self.screen.overlay = Some(Overlay::Note {
                    buffer: mine,
                    claim,
                    seen,
                });
            }
            _ => {
                self.out.redraw = false;
                self.screen.overlay = Some(Overlay::NoteConflict {
                    claim,
                    theirs,
                    who,
                    mine,
                    seen,
                });
            }
        }
    }
}
