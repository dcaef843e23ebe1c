//! The desk's state machine. `App` is a `Session` (the desk and every change
//! to it) and a `Screen` (what is shown); `update(&mut App, Action)` is the
//! only way either changes, and it draws nothing. Keys become actions in
//! `keymap`; `drive` is the one loop that feeds actions from a front end
//! (the local terminal or an SSH channel) and draws through it.

mod action;
pub mod drive;
pub mod input;
pub mod keymap;
mod list;
mod screen;
mod session;
mod update;

pub use action::Action;
pub use keymap::{Context, Key, KeyCode};
pub use list::List;
pub use screen::{
    Capabilities, Display, Focus, Layout, Message, NoteEditor, Overlay, Picker, PickerEntry,
    PickerKind, PickerValue, Screen, View, Written,
};
pub use session::{ChangeError, Session};

use crate::model::Claim;
use crate::store::ClaimRef;

/// What the front end must do for the desk: things `update` cannot do purely.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Put this text on the reviewer's clipboard (OSC 52).
    Copy(String),
    /// Open $EDITOR on this note; the front end answers with `Action::NoteEdited`.
    EditNote(String),
    /// Give the terminal back to the shell until the reviewer resumes.
    Suspend,
}

/// What one `update` did, for the front end.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// The screen may have changed.
    pub redraw: bool,
    pub quit: bool,
    pub effects: Vec<Effect>,
}

pub struct App {
    session: Session,
    screen: Screen,
    /// The claim the external editor is open on, and its note then.
    editing: Option<(crate::model::ClaimId, crate::store::Seen)>,
    /// What the update in progress has done so far.
    out: Outcome,
}

impl App {
    pub fn new(session: Session, screen: Screen) -> App {
        let mut app = App {
            session,
            screen,
            editing: None,
            out: Outcome::default(),
        };
        app.screen.list.refilter(&mut app.session);
        app
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    pub fn context(&self) -> Context {
        self.screen.context()
    }

    pub fn selected_ref(&self) -> Option<ClaimRef> {
        self.screen.list.selected_ref()
    }

    pub fn selected_claim(&self) -> Option<&Claim> {
        self.session.claim(self.selected_ref()?)
    }

    /// Tell the reviewer something about the session itself (kept on the
    /// status line and in the message log).
    pub fn notice(&mut self, text: impl Into<String>) {
        self.screen.error(text);
    }

    /// How long the cursor stays on a claim just marked before it goes on
    /// to the next without a verdict (1.5 s; tests make it none).
    pub fn set_advance_pause(&mut self, pause: std::time::Duration) {
        self.screen.advance_pause = pause;
    }
}

/// Apply `action`: the only place the desk and the screen change.
pub fn update(app: &mut App, action: Action) -> Outcome {
    app.out = Outcome {
        redraw: true,
        ..Outcome::default()
    };
    if action.from_reviewer() {
        app.screen.key_pressed();
    }
    update::dispatch(app, action);
    std::mem::take(&mut app.out)
}

#[cfg(test)]
mod tests;
