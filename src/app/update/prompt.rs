//! The two text prompts: search as you type, and the inline note.

use crate::model::ClaimId;
use crate::store::Seen;

use super::super::keymap::{Context, Key, KeyCode};
use super::super::screen::{NoteEditor, Overlay, Written};
use super::super::{Action, App};

/// Our key as the text area takes it.
fn editor_input(k: Key) -> ratatui_textarea::Input {
    use ratatui_textarea::Key as T;
    let key = match k.code {
        KeyCode::Char(c) => T::Char(c),
        KeyCode::Enter => T::Enter,
        KeyCode::Esc => T::Esc,
        KeyCode::Tab | KeyCode::BackTab => T::Tab,
        KeyCode::Backspace => T::Backspace,
        KeyCode::Delete => T::Delete,
        KeyCode::Up => T::Up,
        KeyCode::Down => T::Down,
        KeyCode::Left => T::Left,
        KeyCode::Right => T::Right,
        KeyCode::Home => T::Home,
        KeyCode::End => T::End,
        KeyCode::PageUp => T::PageUp,
        KeyCode::PageDown => T::PageDown,
        KeyCode::F(n) => T::F(n),
    };
    ratatui_textarea::Input {
        key,
        ctrl: k.ctrl,
        alt: k.alt,
        shift: false,
    }
}

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
            Action::Confirm => return self.session.search_done(),
            Action::Back => {
                search.clear();
                self.screen.list.refilter(&mut self.session);
                return self.session.search_done();
            }
            _ => {}
        }
        self.screen.list.refilter(&mut self.session);
        self.screen.overlay = Some(Overlay::Search);
    }

    pub(super) fn update_note(&mut self, mut ed: Box<NoteEditor>, action: Action) {
        let asked = ed.discarding;
        ed.discarding = false;
        match action {
            Action::EditorKey(k) => {
                ed.editor.input(editor_input(k));
            }
            Action::Input(c) => {
                ed.editor.insert_char(c);
            }
            Action::Paste(text) => {
                ed.editor
                    .insert_str(text.replace("\r\n", "\n").replace('\r', "\n"));
            }
            Action::Newline => ed.editor.insert_newline(),
            Action::ClearInput => {
                ed.editor.select_all();
                ed.editor.cut();
            }
            Action::Confirm if ed.written == Written::Translation => {
                return self.save_translation(ed.claim.clone(), ed.text(), ed.seen.clone());
            }
            Action::Confirm => return self.save_note(ed.claim.clone(), ed.text(), ed.seen.clone()),
            Action::Back if asked || ed.text() == ed.original => {
                let what = ed.written.name();
                return self
                    .screen
                    .info(format!("{}: {what} not changed", ed.claim));
            }
            Action::Back => {
                ed.discarding = true;
                let esc =
                    super::super::keymap::key_for(Context::Note, &Action::Back).unwrap_or_default();
                self.screen.error(format!(
                    "you changed the {}: {esc} again drops your changes, any other key goes back to writing",
                    ed.written.name()
                ));
            }
            Action::Explain(why) => self.screen.info(why),
            _ => self.out.redraw = false,
        }
        self.screen.overlay = Some(Overlay::Note(ed));
    }

    /// Someone saved a note while this reviewer wrote theirs.
    /// `conflict` is the `Overlay::NoteConflict` that was open.
    pub(super) fn update_note_conflict(&mut self, conflict: Overlay, action: Action) {
        let Overlay::NoteConflict {
            claim,
            theirs,
            who,
            mine,
            base,
            seen,
        } = conflict
        else {
            return;
        };
        match action {
            Action::KeepTheirs => self.screen.info(format!("{claim}: kept their note")),
            Action::KeepMine => self.save_note(claim, mine, seen),
            Action::Merge => {
                let merged = merge_notes(base.as_deref(), theirs.as_deref(), &mine);
                self.reopen_note(claim, seen, &merged, theirs.as_deref());
            }
            Action::Back => self.reopen_note(claim, seen, &mine, theirs.as_deref()),
            _ => {
                self.out.redraw = false;
                self.screen.overlay = Some(Overlay::NoteConflict {
                    claim,
                    theirs,
                    who,
                    mine,
                    base,
                    seen,
                });
            }
        }
    }

    /// Back to writing `text` on `claim` after a conflict: Esc asks before
    /// dropping it, as the claim now holds `theirs`.
    fn reopen_note(&mut self, claim: ClaimId, seen: Seen, text: &str, theirs: Option<&str>) {
        let mut ed = NoteEditor::new(claim, seen, text);
        ed.original = theirs.unwrap_or_default().to_string();
        self.screen.overlay = Some(Overlay::Note(Box::new(ed)));
    }
}

/// Their note, then the lines of mine that are neither in the note we both
/// started from nor in theirs: what both kept appears once (a three-way
/// merge by lines; a reviewer edits the result before saving it).
pub(super) fn merge_notes(base: Option<&str>, theirs: Option<&str>, mine: &str) -> String {
    let theirs = theirs.map(str::trim_end).unwrap_or_default();
    if theirs.is_empty() {
        return mine.to_string();
    }
    let base: Vec<&str> = base.unwrap_or_default().lines().collect();
    let have: Vec<&str> = theirs.lines().collect();
    let mut added: Vec<&str> = Vec::new();
    for line in mine.lines() {
        if line.trim().is_empty() {
            // A blank line only between lines kept.
            if added.last().is_some_and(|l| !l.trim().is_empty()) {
                added.push(line);
            }
        } else if !base.contains(&line) && !have.contains(&line) {
            added.push(line);
        }
    }
    while added.last().is_some_and(|l| l.trim().is_empty()) {
        added.pop();
    }
    if added.is_empty() {
        theirs.to_string()
    } else {
        format!("{theirs}\n\n{}", added.join("\n"))
    }
}
