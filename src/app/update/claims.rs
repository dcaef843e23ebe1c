//! The views that show claims: the list with its detail pane, the claim
//! full-screen, and the article. Moving, marking and opening overlays.

use crate::model::{ClaimId, Status};
use crate::query::Filter;
use crate::store::{Edit, Review, Seen};

use super::super::screen::{Focus, NoteEditor, Overlay, PickerKind, View, Written};
use super::super::session::Done;
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
            Action::Open => self.screen.open(View::Claim { scroll: 0 }),
            Action::ArticleView => self.screen.open(View::Article),
            Action::StatsView => self.screen.open(View::Stats { cell: (0, 0) }),
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
                Some(status) if !self.screen.list.marked.is_empty() => self.mark_selected(status),
                Some(status) => self.set_status(status),
                None => self.screen.error(format!(
                    "no status on key {d}; the desk's statuses are on {}",
                    super::super::keymap::digit_label(self.session.scale())
                )),
            },
            Action::EditNote => self.open_note_prompt(),
            Action::EditTranslation => self.open_translation_prompt(),
            Action::EditNoteExternal => self.open_note_editor(),
            Action::EvidenceList => self.open_evidence(),
            Action::NextUnreviewed
            | Action::PrevUnreviewed
            | Action::ToggleAdvance
            | Action::Sort
            | Action::Select
            | Action::ChangedByMe => self.update_queue(action),
            Action::Candidates
            | Action::Accept
            | Action::Reject
            | Action::Widen
            | Action::Narrow
            | Action::Reattribute
            | Action::Link
            | Action::JumpLinked
            | Action::GoTo
            | Action::TrimFirstWord
            | Action::TrimLastWord => self.update_triage(action),
            Action::Undo => self.undo(false),
            Action::Redo => self.undo(true),
            Action::ToggleTranslation => {
                self.screen.show_translation = !self.screen.show_translation;
            }
            Action::Copy => {
                if let Some(text) = self.selected_ref().and_then(|r| self.session.citation(r)) {
                    self.out.effects.push(Effect::Copy(text));
                    // The desk cannot know whether the terminal took it.
                    self.screen.info(
                        "sent the claim to your terminal's clipboard (OSC 52); if it does not \
                         arrive, your terminal or tmux blocks it (tmux: set -g set-clipboard on)",
                    );
                }
            }
            Action::Help => self.screen.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::Messages => self.screen.overlay = Some(Overlay::Messages { scroll: 0 }),
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
            View::Main { .. } if !self.screen.list.marked.is_empty() => {
                self.screen.list.marked.clear();
                self.screen.info("nothing selected");
            }
            View::Main { .. } if !self.screen.list.filter.search.is_empty() => {
                self.screen.list.filter.search.clear();
                self.screen.list.refilter(&mut self.session);
            }
            View::Main { .. } => self.screen.message = None,
            _ => self.screen.close_view(),
        }
    }

    fn open_note_prompt(&mut self) {
        if let Err(e) = self.session.may_change() {
            return self.screen.error(e.to_string());
        }
        if let Some(c) = self.selected_claim() {
            let note = c.note.clone().unwrap_or_default();
            let ed = NoteEditor::new(c.id.clone(), Seen::of(c), &note);
            self.screen.overlay = Some(Overlay::Note(Box::new(ed)));
        }
    }

    fn open_translation_prompt(&mut self) {
        if let Err(e) = self.session.may_change() {
            return self.screen.error(e.to_string());
        }
        if let Some(c) = self.selected_claim() {
            let mut ed = NoteEditor::new(c.id.clone(), Seen::of(c), &c.translation);
            ed.written = Written::Translation;
            self.screen.overlay = Some(Overlay::Note(Box::new(ed)));
        }
    }

    /// Save `translation` on `claim`; a translation someone saved since
    /// is not replaced: the draft stays open, and the reviewer is told.
    pub(super) fn save_translation(&mut self, claim: ClaimId, text: String, seen: Seen) {
        let text = text.trim().to_string();
        match self.change_claim(&claim, Edit::Translation(text.clone()), Some(seen.clone())) {
            Ok(_) => self.screen.info(format!("{claim}: translation saved")),
            Err(e) => {
                let seen = match e.conflict() {
                    Some(c) => {
                        self.screen.error(format!(
                            "{claim}: {}, while you wrote yours; Enter saves yours over it",
                            c.who()
                        ));
                        Seen::of(&c.current)
                    }
                    None => {
                        self.screen.error(e.to_string());
                        seen
                    }
                };
                let mut ed = NoteEditor::new(claim, seen.clone(), &text);
                ed.written = Written::Translation;
                ed.original = seen.translation;
                self.screen.overlay = Some(Overlay::Note(Box::new(ed)));
            }
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
            self.editing = Some((c.id.clone(), Seen::of(c)));
            self.out.effects.push(Effect::EditNote(note));
        }
    }

    /// Save one edit of claim `id` through the session, now; `seen` is the
    /// claim as the reviewer saw it. Says what went wrong, if anything.
    pub(super) fn change_claim(
        &mut self,
        id: &ClaimId,
        edit: Edit,
        seen: Option<Seen>,
    ) -> Result<Done, ChangeError> {
        let saved = self.session.change(id, edit, seen);
        self.after_save(id);
        saved
    }

    /// A save to claim `id` (or a refusal that brought its file as it is
    /// on disk) was published: the list takes it in as any change, through
    /// the deltas; what the reviewer did is told by the caller.
    pub(super) fn after_save(&mut self, id: &ClaimId) {
        self.catch_up_after(Some(id));
        self.out.redraw = true;
    }

    pub(super) fn set_status(&mut self, status: Status) {
        let Some(c) = self.selected_claim() else {
            return self.screen.error("no claim selected");
        };
        let (id, old, seen) = (c.id.clone(), c.status, Seen::of(c));
        // The same verdict again changes nothing: nothing is written;
        // unless two bureaus' verdicts differ, when it settles them.
        let settles = c.verdicts_differ().is_some();
        if old == status && !settles {
            return self
                .screen
                .info(format!("{id} is {status} already; nothing written"));
        }
        let edit = Edit::Status {
            status,
            note: None,
            evidence: Vec::new(),
        };
        match self.change_claim(&id, edit, Some(seen)) {
            Ok(_) => {
                let on = self.advance_later(&id);
                let did = if old == status {
                    format!("{status} confirmed: the bureaus' differing verdicts are settled")
                } else {
                    format!("{old} -> {status}")
                };
                self.screen.info(format!("{id}: {did}{on}"));
            }
            Err(e) => match e.conflict() {
                // The desk now shows their change; the same key again confirms.
                Some(c) => {
                    let again = self
                        .session
                        .scale()
                        .def(status)
                        .and_then(|d| d.digit)
                        .map_or("the key".to_string(), |d| d.to_string());
                    // The action first: at 80 columns the end is cut.
                    self.screen.error(format!(
                        "press {again} again to set {id} to {status}: {} since you looked",
                        c.who()
                    ));
                }
                None => self.screen.error(e.to_string()),
            },
        }
    }

    /// Save `note` on `claim`, which had the note in `seen` when the
    /// reviewer started writing. If someone saved a note since, the
    /// reviewer chooses: theirs, theirs and mine, or mine.
    pub(super) fn save_note(&mut self, claim: ClaimId, note: String, seen: Seen) {
        match self.change_claim(&claim, Edit::Note(note.clone()), Some(seen.clone())) {
            Ok(_) => self.screen.info(format!("{claim}: note saved")),
            Err(e) => match e.conflict() {
                Some(c) => {
                    let (theirs, who) = (c.current.note.clone(), c.who());
                    let base = seen.note.clone();
                    let seen = Seen::of(&c.current);
                    self.screen
                        .error(format!("{claim}: {who}, while you wrote yours"));
                    self.screen.overlay = Some(Overlay::NoteConflict {
                        claim,
                        theirs,
                        who,
                        mine: note,
                        base,
                        seen,
                    });
                }
                None => {
                    self.screen.error(e.to_string());
                    // Keep the draft: nothing typed is lost to a failed save.
                    let mut ed = NoteEditor::new(claim, seen.clone(), &note);
                    ed.original = seen.note.unwrap_or_default();
                    self.screen.overlay = Some(Overlay::Note(Box::new(ed)));
                }
            },
        }
    }

    /// The external editor returned `note` for the claim it was opened on.
    pub(in crate::app) fn note_edited(&mut self, note: String) {
        let Some((claim, seen)) = self.editing.take() else {
            return;
        };
        let note = note.trim_end().to_string();
        if seen.note.clone().unwrap_or_default() == note {
            return self.screen.info("note not changed");
        }
        self.save_note(claim, note, seen);
    }

    pub(super) fn undo(&mut self, redo: bool) {
        let done = if redo {
            self.session.redo()
        } else {
            self.session.undo()
        };
        let verb = if redo { "redone" } else { "undone" };
        let done = match done {
            Ok(Some(d)) => d,
            Ok(None) => return self.screen.info(format!("nothing to {}", &verb[..4])),
            Err(e) => {
                if let Some(c) = e.conflict() {
                    self.after_save(&c.claim.clone());
                }
                return match e.conflict() {
                    Some(c) => self.screen.error(format!(
                        "cannot {} your change to {}: {} since; it stays as it is",
                        &verb[..4],
                        c.claim,
                        c.who()
                    )),
                    None => self.screen.error(e.to_string()),
                };
            }
        };
        for d in &done {
            self.after_save(&d.claim);
        }
        let Some(first) = done.first() else {
            return self.screen.info(format!("nothing to {}", &verb[..4]));
        };
        // The cursor goes to the claim, when the list shows it.
        let shown = self.screen.list.visible.iter().position(|r| {
            self.session
                .desk()
                .head(*r)
                .is_some_and(|c| c.id == first.claim)
        });
        if let Some(i) = shown {
            self.screen.list.selected = i;
        }
        let said = |d: &crate::app::session::Done| {
            if d.rejected.is_some() {
                return if redo {
                    "rejected again".to_string()
                } else {
                    "the rejected candidate is back".to_string()
                };
            }
            let (from, to) = if redo {
                (&d.before, &d.after)
            } else {
                (&d.after, &d.before)
            };
            describe(from, to)
        };
        match done.as_slice() {
            [one] => self
                .screen
                .info(format!("{verb} on {}: {}", one.claim, said(one))),
            many => self.screen.info(format!(
                "{verb} on {} claims ({}): {}",
                many.len(),
                many.iter()
                    .map(|d| d.claim.0.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                said(first)
            )),
        }
    }
}

/// What going from review `from` to `to` changes, in words.
fn describe(from: &Review, to: &Review) -> String {
    let mut parts = Vec::new();
    for part in from.differences(to) {
        parts.push(match part {
            "status" => format!("status {} -> {}", from.status, to.status),
            "note" => match &to.note {
                Some(n) => format!("note is «{}» again", crate::text::truncate(n, 40)),
                None => "note removed".to_string(),
            },
            "translation" => "translation restored".to_string(),
            "text" => format!("wording «{}»", crate::text::truncate(&to.text, 40)),
            "source" => format!("source {}", to.source),
            "candidate" if to.candidate => "a candidate again".to_string(),
            "candidate" => "accepted".to_string(),
            "same_as" => match to.same_as.as_slice() {
                [] => "no link".to_string(),
                ids => format!(
                    "linked to {}",
                    ids.iter()
                        .map(|i| i.0.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            },
            _ => {
                let added: Vec<&str> = (to.evidence.iter())
                    .filter(|e| !from.evidence.contains(e))
                    .map(String::as_str)
                    .collect();
                let removed: Vec<&str> = (from.evidence.iter())
                    .filter(|e| !to.evidence.contains(e))
                    .map(String::as_str)
                    .collect();
                let mut s = Vec::new();
                if !added.is_empty() {
                    s.push(format!("evidence {} added", added.join(", ")));
                }
                if !removed.is_empty() {
                    s.push(format!("evidence {} removed", removed.join(", ")));
                }
                s.join(", ")
            }
        });
    }
    if parts.is_empty() {
        "nothing to change".into()
    } else {
        parts.join("; ")
    }
}
