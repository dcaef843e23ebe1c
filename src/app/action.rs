//! Everything that can happen in the desk: the one vocabulary between keys,
//! front ends and `update`.

use crate::model::{ClaimId, Status};

use super::keymap::Key;

use super::screen::Layout;

impl Action {
    /// Whether the reviewer did this (a key or a paste), not the front end.
    pub fn from_reviewer(&self) -> bool {
        !matches!(
            self,
            Action::Layout(_)
                | Action::CheckDisk
                | Action::Tick
                | Action::DeskChanged
                | Action::Presence(_)
                | Action::TerminalIs(_)
                | Action::NoteEdited(_)
                | Action::EffectFailed(_)
        )
    }
}

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
    /// Write the claim's English translation inline.
    EditTranslation,
    EditNoteExternal,
    Undo,
    Redo,
    /// The selected claim's evidence list.
    EvidenceList,
    /// The next claim without a verdict, in list order.
    NextUnreviewed,
    PrevUnreviewed,
    /// Whether a mark moves the cursor on to the next claim without a verdict.
    ToggleAdvance,
    /// The next way of ordering the list.
    Sort,
    /// Select the claim (or unselect it): a digit marks every selected claim.
    Select,
    /// Show only the claims this reviewer changed (or all again).
    ChangedByMe,
    /// Only the candidates `claimdesk import` proposed (again: all).
    Candidates,
    /// The selected candidate is a claim to review.
    Accept,
    /// The selected candidate is not a claim: out of the file, into its log.
    Reject,
    /// The candidate's wording out to the next sentence boundary.
    Widen,
    /// The candidate's wording in to a smaller sentence or clause.
    Narrow,
    /// Choose who said the candidate (or name a new source).
    Reattribute,
    /// Go to the claim the selected one is the same as; again: back.
    JumpLinked,
    /// Go to any claim by its id.
    GoTo,
    /// Drop the first word of a candidate's wording.
    TrimFirstWord,
    /// Drop the last word of a candidate's wording.
    TrimLastWord,
    /// The claim says what the claim seen before says: `same_as`.
    Link,
    Add,
    Edit,
    Remove,
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
    /// The note editor: a line break.
    Newline,
    /// The note editor: a key for the text itself (moves, deletions, typing).
    EditorKey(Key),
    /// A key that does nothing here on purpose, and says why.
    Explain(&'static str),
    /// A key that means nothing where it was pressed.
    Unbound(Key),
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),

    // From the front end, not from keys.
    /// What the last frame laid out: page sizes and how far things scroll.
    Layout(Layout),
    /// Look at the disk now and take in what changed (a desk whose hub
    /// does not watch the disk: tests).
    CheckDisk,
    /// Time passed: an info message may be due to go.
    Tick,
    /// The desk changed (a save here or elsewhere, a file arrived or went):
    /// take in the hub's deltas.
    DeskChanged,
    /// The message log.
    Messages,
    /// Who else (on this server) is on which claim: (reviewer, claim).
    Presence(Vec<(String, ClaimId)>),
    /// The terminal said who it is (its XTVERSION reply).
    TerminalIs(String),
    /// The external editor returned this note for the selected claim.
    NoteEdited(String),
    /// An effect the front end tried failed.
    EffectFailed(String),
}
