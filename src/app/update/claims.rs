//! The views that show claims: the list with its detail pane, the claim
//! full-screen, and the article. Moving, marking and opening overlays.

use crate::model::{ClaimId, Status};
use crate::query::Filter;
use crate::store::Edit;

use super::super::screen::{Focus, Overlay, PickerKind, View};
use super::super::{Action, App, ChangeError, Effect};

/// How one movement key moves, given a page of `page` rows.
fn step(action: &Action, page: usize) -> Option<isize> {
    let page = page.max(1) as isize;
    Some(match action {
        Action::Down => 1,
        Action::Up => -1,
        Action::PageDown => page,
        Action::PageUp => -page,
        Action::HalfPageDown => (page / 2).max(1),
        Action::HalfPageUp => -(page / 2).max(1),
        Action::Top => isize::MIN / 2,
        Action::Bottom => isize::MAX / 2,
        _ => return None,
    })
}

impl App {
    pub(super) fn update_claims(&mut self, action: Action) {
        let layout = self.screen.layout;
        // In the detail pane and the full claim, movement keys scroll the text.
        let scroll = match &mut self.screen.view {
            View::Main {
                focus: Focus::Detail,
                detail_scroll,
            } => Some(detail_scroll),
            View::Claim { scroll } => Some(scroll),
            _ => None,
        };
        if let Some(delta) = step(&action, layout.scroll_page) {
            if let Some(scroll) = scroll {
                *scroll = scroll.saturating_add_signed(delta).min(layout.scroll_max);
                return;
            }
            let page = match self.screen.view {
                View::Article => 1,
                _ => layout.list_rows,
            };
            if let Some(delta) = step(&action, page)
                && self.screen.list.move_by(delta)
                && let View::Main { detail_scroll, .. } = &mut self.screen.view
            {
                *detail_scroll = 0;
            }
            return;
        }
        match action {
            Action::FocusNext => {
                if let View::Main { focus, .. } = &mut self.screen.view {
                    *focus = match focus {
                        Focus::List => Focus::Detail,
                        Focus::Detail => Focus::List,
                    };
                }
            }
            Action::Open => self.screen.view = View::Claim { scroll: 0 },
            Action::ArticleView => self.screen.view = View::Article,
            Action::StatsView => self.screen.view = View::Stats { cell: (0, 0) },
            Action::SearchStart => self.screen.overlay = Some(Overlay::Search),
            Action::SourcePicker => {
                self.screen.overlay = Some(Overlay::Picker(self.source_picker()));
            }
            Action::StatusFilterPicker => {
                let p = self.status_picker(PickerKind::StatusFilter);
                self.screen.overlay = Some(Overlay::Picker(p));
            }
            Action::StatusPicker if self.selected_claim().is_some() => {
                let p = self.status_picker(PickerKind::SetStatus);
                self.screen.overlay = Some(Overlay::Picker(p));
            }
            Action::ClearFilters => {
                self.screen.list.filter = Filter::default();
                self.screen.list.refilter(&mut self.session);
                self.screen.info("filters cleared");
            }
            Action::SetStatus(status) => self.set_status(status),
            Action::Digit(d) => match self.session.scale().by_digit(d) {
                Some(status) => self.set_status(status),
                None => self.screen.error(format!(
                    "no status on key {d}; the desk's statuses are on {}",
                    super::super::keymap::digit_label(self.session.scale())
                )),
            },
            Action::EditNote => self.open_note_prompt(),
            Action::EditNoteExternal => self.open_note_editor(),
            Action::Undo => self.undo(),
            Action::ToggleTranslation => {
                self.screen.show_translation = !self.screen.show_translation;
            }
            Action::Copy => {
                if let Some(text) = self.selected_ref().and_then(|r| self.session.citation(r)) {
                    self.out.effects.push(Effect::Copy(text));
                    self.screen
                        .info("copied the claim to your clipboard (OSC 52)");
                }
            }
            Action::Help => self.screen.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::Back => self.back(),
            _ => self.out.redraw = false,
        }
    }

    fn back(&mut self) {
        match &mut self.screen.view {
            View::Main {
                focus: focus @ Focus::Detail,
                ..
            } => *focus = Focus::List,
            View::Main { .. } if !self.screen.list.filter.search.is_empty() => {
                self.screen.list.filter.search.clear();
                self.screen.list.refilter(&mut self.session);
            }
            View::Main { .. } => self.screen.message = None,
            _ => self.screen.view = View::main(),
        }
    }

    fn open_note_prompt(&mut self) {
        if let Err(e) = self.session.may_change() {
            return self.screen.error(e.to_string());
        }
        if let Some(c) = self.selected_claim() {
            let buffer = c.note.clone().unwrap_or_default();
            self.screen.overlay = Some(Overlay::Note { buffer });
        }
    }

    fn open_note_editor(&mut self) {
        if let Err(e) = self.session.may_change() {
            return self.screen.error(e.to_string());
        }
        if !self.screen.capabilities.editor {
            return self
                .screen
                .error("$EDITOR is not available in this session; n edits the note here");
        }
        if let Some(c) = self.selected_claim() {
            let note = c.note.clone().unwrap_or_default();
            self.out.effects.push(Effect::EditNote(note));
        }
    }

    /// Save one edit of the selected claim through the session, now.
    pub(super) fn change(&mut self, edit: Edit) -> bool {
        let Some(id) = self.selected_claim().map(|c| c.id.clone()) else {
            self.screen.error(ChangeError::NoClaim.to_string());
            return false;
        };
        self.change_claim(&id, edit)
    }

    fn change_claim(&mut self, id: &ClaimId, edit: Edit) -> bool {
        let saved = self.session.change(id, edit).map(|_| ());
        self.after_save(saved)
    }

    /// Bring the list up to date after a save (or say why nothing was saved).
    fn after_save(&mut self, saved: Result<(), ChangeError>) -> bool {
        match saved {
            Ok(()) => {
                self.out.saved = true;
                self.screen.list.invalidate();
                self.screen.list.refilter(&mut self.session);
                true
            }
            Err(e) => {
                self.screen.error(e.to_string());
                false
            }
        }
    }

    pub(super) fn set_status(&mut self, status: Status) {
        let Some((id, old)) = self.selected_claim().map(|c| (c.id.clone(), c.status)) else {
            return self.screen.error("no claim selected");
        };
        let edit = Edit::Status {
            status,
            note: None,
            evidence: Vec::new(),
        };
        if self.change_claim(&id, edit) {
            self.screen.info(format!("{id}: {old} -> {status}"));
        }
    }

    pub(super) fn save_note(&mut self, note: String) {
        if self.change(Edit::Note(note)) {
            self.screen.info("note saved");
        }
    }

    /// The external editor returned `note` for the selected claim.
    pub(in crate::app) fn note_edited(&mut self, note: String) {
        let note = note.trim_end().to_string();
        let current = self.selected_claim().and_then(|c| c.note.clone());
        if current.unwrap_or_default() == note {
            return self.screen.info("note not changed");
        }
        self.save_note(note);
    }

    fn undo(&mut self) {
        let undone = self.session.undo();
        let (claim, status) = match undone {
            Ok(Some(u)) => (u.claim, u.status),
            Ok(None) => return self.screen.info("nothing to undo"),
            Err(e) => return self.screen.error(e.to_string()),
        };
        self.after_save(Ok(()));
        // The cursor goes to the claim undone, when the list shows it.
        let shown = self
            .screen
            .list
            .visible
            .iter()
            .position(|r| self.session.claim(*r).is_some_and(|c| c.id == claim));
        if let Some(i) = shown {
            self.screen.list.selected = i;
        }
        self.screen
            .info(format!("undone: {claim} is {status} again"));
    }
}
