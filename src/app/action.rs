//! Everything that can happen in the desk: the one vocabulary between keys,
//! front ends and `update`.

use crate::model::{ClaimId, Status};

use super::screen::Layout;

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    HalfPageUp,
    HalfPageDown,
    Top,
    Bottom,
    FocusNext,
    Open,
    ArticleView,
    StatsView,
    SearchStart,
    SourcePicker,
    StatusFilterPicker,
    ClearFilters,
    /// A digit key: sets the status the scale assigns to it.
    Digit(u8),
    SetStatus(Status),
    StatusPicker,
    EditNote,
    EditNoteExternal,
    Undo,
    Redo,
    /// Note conflict: keep the other reviewer's note.
    KeepTheirs,
    /// Note conflict: keep mine, replacing theirs.
    KeepMine,
    /// Note conflict: edit theirs and mine together.
    Merge,
    ToggleTranslation,
    Copy,
    Help,
    Back,
    Quit,
    /// Ctrl-z: hand the terminal back to the shell for a while.
    Suspend,
    Toggle,
    Confirm,
    Input(char),
    Backspace,
    ClearInput,
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),

    // From the front end, not from keys.
    /// What the last frame laid out: page sizes and how far things scroll.
    Layout(Layout),
    /// Look for other reviewers' changes on disk (cheap; the drive loop's timer).
    CheckDisk,
    /// Another session of this server saved: reload now.
    OthersSaved,
    /// Who else (on this server) is on which claim: (reviewer, claim).
    Presence(Vec<(String, ClaimId)>),
    /// The external editor returned this note for the selected claim.
    NoteEdited(String),
    /// An effect the front end tried failed.
    EffectFailed(String),
}
