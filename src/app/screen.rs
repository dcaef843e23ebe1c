//! What is on screen: the view (each variant carries its own state), the
//! overlay, the claims list with its filter and selection, the message, and
//! what the last frame laid out. Fields are the app's to change; the UI
//! reads them through accessors.

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

use super::keymap::Context;
use super::list::List;
use crate::model::{ClaimId, SourceId, Status};
use crate::store::Seen;
use crate::text::Bidi;
use crate::text::terminal::BidiChoice;
use ratatui_textarea::TextArea;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Detail,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    /// The list with the detail pane.
    Main { focus: Focus, detail_scroll: usize },
    /// The selected claim, full-screen.
    Claim { scroll: usize },
    /// The article with the selected claim highlighted.
    Article,
    /// The source x status matrix and reviewer activity: the selected cell (row, column).
    Stats { cell: (usize, usize) },
}

impl View {
    pub fn main() -> View {
        View::Main {
            focus: Focus::List,
            detail_scroll: 0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    Source,
    StatusFilter,
    SetStatus,
    /// Who said the selected candidate; a typed name no entry holds is a new source.
    SetSource,
    /// The claim the selected one is the same as; a typed id no entry holds
    /// is looked up on the whole desk.
    LinkClaim,
    /// A claim to go to, by id, from anywhere (the same look-up).
    GoTo,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PickerValue {
    Source(SourceId),
    Status(Status),
    Claim(ClaimId),
}

#[derive(Debug, Clone, PartialEq)]
pub struct PickerEntry {
    pub label: String,
    /// Other names the entry is found by (a source's original name and
    /// aliases), besides its label.
    pub also: String,
    pub depth: usize,
    /// Claims shown when this entry is applied.
    pub count: usize,
    /// Claims of the entry itself, when it differs (a source without its sub-sources).
    pub own: Option<usize>,
    pub value: PickerValue,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    pub kind: PickerKind,
    pub entries: Vec<PickerEntry>,
    /// Index into `entries`, always one that is shown.
    pub cursor: usize,
    pub checked: HashSet<usize>,
    /// Only entries whose label holds this (Arabic-folded) are shown.
    pub query: String,
    /// The query is being typed.
    pub typing: bool,
}

impl Picker {
    pub fn new(
        kind: PickerKind,
        entries: Vec<PickerEntry>,
        cursor: usize,
        checked: HashSet<usize>,
    ) -> Picker {
        Picker {
            kind,
            entries,
            cursor,
            checked,
            query: String::new(),
            typing: false,
        }
    }

    /// The entries the query lets through, as indices into `entries`.
    pub fn shown(&self) -> Vec<usize> {
        let q = crate::text::fold(self.query.trim());
        (0..self.entries.len())
            .filter(|&i| {
                let e = &self.entries[i];
                q.is_empty()
                    || crate::text::contains_from_word_start(&crate::text::fold(&e.label), &q)
                    || crate::text::contains_from_word_start(&crate::text::fold(&e.also), &q)
            })
            .collect()
    }

    /// Move the cursor `delta` shown entries (clamped), or onto the first
    /// shown one if the query hid it.
    pub(in crate::app) fn move_by(&mut self, delta: isize) {
        let shown = self.shown();
        let Some(last) = shown.len().checked_sub(1) else {
            return;
        };
        let at = shown.iter().position(|&i| i == self.cursor);
        let next = match at {
            Some(at) => at.saturating_add_signed(delta).min(last),
            None => 0,
        };
        self.cursor = shown[next];
    }
}

/// What a `NoteEditor` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Note,
    /// The claim's English translation.
    Translation,
}

impl Written {
    pub fn name(self) -> &'static str {
        match self {
            Written::Note => "note",
            Written::Translation => "translation",
        }
    }
}

/// A note (or a translation) being written: a multi-line editor, and what
/// it started from.
#[derive(Debug, Clone)]
pub struct NoteEditor {
    pub editor: TextArea<'static>,
    pub claim: ClaimId,
    pub written: Written,
    /// The claim when the editor opened: a note saved since is not replaced.
    pub seen: Seen,
    /// The text the editor opened with: Esc asks before dropping changes.
    pub original: String,
    /// Esc was pressed on a changed draft: Esc again drops it.
    pub discarding: bool,
}

impl NoteEditor {
    pub fn new(claim: ClaimId, seen: Seen, text: &str) -> NoteEditor {
        let mut editor = TextArea::new(text.split('\n').map(str::to_string).collect());
        editor.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        editor.move_cursor(ratatui_textarea::CursorMove::Bottom);
        editor.move_cursor(ratatui_textarea::CursorMove::End);
        NoteEditor {
            editor,
            claim,
            written: Written::Note,
            seen,
            original: text.to_string(),
            discarding: false,
        }
    }

    /// The note as written, lines joined.
    pub fn text(&self) -> String {
        self.editor.lines().join("\n")
    }
}

#[derive(Debug, Clone)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
    /// The session's messages and errors, in full, newest first.
    Messages {
        scroll: usize,
    },
    Picker(Picker),
    Search,
    /// The note being written for `claim`, which had the note in `seen`.
    Note(Box<NoteEditor>),
    /// The evidence URLs of `claim`: a cursor, and the URL being typed, if
    /// one is (`replacing` the one being edited).
    Evidence {
        claim: ClaimId,
        cursor: usize,
        input: Option<String>,
        replacing: Option<String>,
    },
    /// Someone saved a note on `claim` while this reviewer wrote theirs:
    /// keep theirs, keep mine, or merge the two.
    NoteConflict {
        claim: ClaimId,
        theirs: Option<String>,
        who: String,
        mine: String,
        /// The note both started from: a merge keeps what they share once.
        base: Option<String>,
        /// The claim as it is now: what keeping mine replaces.
        seen: Seen,
    },
}

impl Overlay {
    /// A claim's evidence list, nothing being typed.
    pub fn evidence_list(claim: ClaimId, cursor: usize) -> Overlay {
        Overlay::Evidence {
            claim,
            cursor,
            input: None,
            replacing: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub text: String,
    pub error: bool,
    /// When it was said: an info message goes away after `INFO_FOR`.
    pub at: Instant,
}

/// How long an info message stays (it also goes with the next key).
pub const INFO_FOR: Duration = Duration::from_secs(4);
/// Messages the session keeps for `M`.
const LOG_SIZE: usize = 200;

/// What the last frame laid out, reported back by the front end after each
/// draw: the app pages and clamps scrolling by what was really shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub width: u16,
    pub height: u16,
    /// Claim rows the list shows.
    pub list_rows: usize,
    /// How far the scrollable area in focus (detail, claim, help) can scroll.
    pub scroll_max: usize,
    /// Its visible height, for paging.
    pub scroll_page: usize,
}

impl Default for Layout {
    fn default() -> Layout {
        Layout {
            width: 80,
            height: 24,
            list_rows: 8,
            scroll_max: usize::MAX,
            scroll_page: 8,
        }
    }
}

/// How this screen draws: decided once per session from flags, environment
/// and settings (see `config`).
#[derive(Debug, Clone, PartialEq)]
pub struct Display {
    pub bidi: Bidi,
    /// What the reviewer chose; the rest follows the terminal's answer.
    pub bidi_choice: BidiChoice,
    pub color: bool,
    /// Times are shown in this zone.
    pub time_zone: jiff::tz::TimeZone,
}

/// What the front end can do for the desk: an SSH channel cannot run the
/// reviewer's `$EDITOR` or suspend to a shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    pub editor: bool,
    pub suspend: bool,
}

pub struct Screen {
    pub(in crate::app) view: View,
    /// The views this one was opened from: Esc goes back the way you came.
    pub(in crate::app) back: Vec<View>,
    pub(in crate::app) overlay: Option<Overlay>,
    pub(in crate::app) list: List,
    pub(in crate::app) message: Option<Message>,
    /// Every message of the session, newest last.
    pub(in crate::app) log: VecDeque<Message>,
    pub(in crate::app) layout: Layout,
    /// The list shows translations instead of the original text.
    pub(in crate::app) show_translation: bool,
    pub(in crate::app) display: Display,
    pub(in crate::app) capabilities: Capabilities,
    /// Who else on this server is on which claim.
    pub(in crate::app) others: Vec<(String, ClaimId)>,
    /// A mark moves the cursor on to the next claim without a verdict.
    pub(in crate::app) advance: bool,
    /// The last jump to a linked claim (from, to): the same key goes back.
    pub(in crate::app) jumped: Option<(ClaimId, ClaimId)>,
    /// A claim just marked, and when the cursor goes on from it: until
    /// then (or until another key) n, E, T and y reach the claim marked.
    pub(in crate::app) advance_due: Option<(ClaimId, Instant)>,
    /// How long the cursor waits on a claim just marked.
    pub(in crate::app) advance_pause: std::time::Duration,
}

impl Screen {
    pub fn new(display: Display, capabilities: Capabilities) -> Screen {
        Screen {
            view: View::main(),
            back: Vec::new(),
            overlay: None,
            list: List::default(),
            message: None,
            log: VecDeque::new(),
            layout: Layout::default(),
            show_translation: false,
            display,
            capabilities,
            others: Vec::new(),
            advance: true,
            jumped: None,
            advance_due: None,
            advance_pause: std::time::Duration::from_millis(1500),
        }
    }

    /// Whether a mark moves on to the next claim without a verdict.
    pub fn advances(&self) -> bool {
        self.advance
    }

    /// Other reviewers on `claim` right now.
    pub fn others_on(&self, claim: &ClaimId) -> Vec<&str> {
        let mut who: Vec<&str> = (self.others.iter())
            .filter(|(_, c)| c == claim)
            .map(|(r, _)| r.as_str())
            .collect();
        who.sort_unstable();
        who.dedup();
        who
    }

    pub fn view(&self) -> &View {
        &self.view
    }

    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }

    pub fn list(&self) -> &List {
        &self.list
    }

    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    /// Every message of the session, newest first.
    pub fn log(&self) -> impl Iterator<Item = &Message> {
        self.log.iter().rev()
    }

    /// When the info message on screen is due to go, if there is one.
    pub fn message_expires(&self) -> Option<Instant> {
        self.message
            .as_ref()
            .filter(|m| !m.error)
            .map(|m| m.at + INFO_FOR)
    }

    /// When the front end should next send a `Tick`: a message to clear,
    /// or the cursor to move on from a claim just marked.
    pub fn next_due(&self) -> Option<Instant> {
        let advance = self.advance_due.as_ref().map(|(_, at)| *at);
        match (self.message_expires(), advance) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    pub fn layout(&self) -> Layout {
        self.layout
    }

    pub fn show_translation(&self) -> bool {
        self.show_translation
    }

    pub fn display(&self) -> &Display {
        &self.display
    }

    /// Which keys apply now.
    pub fn context(&self) -> Context {
        match &self.overlay {
            Some(Overlay::Help { .. } | Overlay::Messages { .. }) => Context::Help,
            Some(Overlay::Picker(p)) if p.typing => Context::PickerFilter,
            Some(Overlay::Picker(_)) => Context::Picker,
            Some(Overlay::Search) => Context::Search,
            Some(Overlay::Note { .. }) => Context::Note,
            Some(Overlay::NoteConflict { .. }) => Context::NoteConflict,
            Some(Overlay::Evidence { input: None, .. }) => Context::Evidence,
            Some(Overlay::Evidence { input: Some(_), .. }) => Context::EvidenceInput,
            None => match self.view {
                View::Main {
                    focus: Focus::List, ..
                } => Context::List,
                View::Main {
                    focus: Focus::Detail,
                    ..
                } => Context::Detail,
                View::Claim { .. } => Context::Claim,
                View::Article => Context::Article,
                View::Stats { .. } => Context::Stats,
            },
        }
    }

    /// Open `view` on top of the one shown; Esc comes back to it.
    pub(in crate::app) fn open(&mut self, view: View) {
        let from = std::mem::replace(&mut self.view, view);
        self.back.push(from);
    }

    /// Back to the view this one was opened from.
    pub(in crate::app) fn close_view(&mut self) {
        self.view = self.back.pop().unwrap_or_else(View::main);
    }

    /// Straight to the list, forgetting the way here.
    pub(in crate::app) fn back_to_main(&mut self) {
        self.back.clear();
        self.view = View::main();
    }

    pub(in crate::app) fn info(&mut self, text: impl Into<String>) {
        self.say(text.into(), false);
    }

    /// An error stays on screen until dismissed (Esc) or replaced, and
    /// can be read in full in the message log.
    pub(in crate::app) fn error(&mut self, text: impl Into<String>) {
        self.say(text.into(), true);
    }

    fn say(&mut self, text: String, error: bool) {
        let m = Message {
            text,
            error,
            at: Instant::now(),
        };
        if self.log.len() == LOG_SIZE {
            self.log.pop_front();
        }
        self.log.push_back(m.clone());
        self.message = Some(m);
    }

    /// A key was pressed: an info message has been seen.
    pub(in crate::app) fn key_pressed(&mut self) {
        if self.message.as_ref().is_some_and(|m| !m.error) {
            self.message = None;
        }
    }
}
