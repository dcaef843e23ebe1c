//! What is on screen: the view (each variant carries its own state), the
//! overlay, the claims list with its filter and selection, the message, and
//! what the last frame laid out. Fields are the app's to change; the UI
//! reads them through accessors.

use std::collections::{HashSet, VecDeque};
use std::ops::Range;
use std::time::{Duration, Instant};

use super::keymap::Context;
use super::session::Session;
use crate::model::{ClaimId, SourceId, Status};
use crate::query::{Filter, Sort};
use crate::store::{ClaimRef, Seen};
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
}

#[derive(Debug, Clone, PartialEq)]
pub enum PickerValue {
    Source(SourceId),
    Status(Status),
}

#[derive(Debug, Clone, PartialEq)]
pub struct PickerEntry {
    pub label: String,
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
                q.is_empty()
                    || crate::text::contains_from_word_start(
                        &crate::text::fold(&self.entries[i].label),
                        &q,
                    )
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

/// A note being written: a multi-line editor, and what it started from.
#[derive(Debug, Clone)]
pub struct NoteEditor {
    pub editor: TextArea<'static>,
    pub claim: ClaimId,
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

/// The claims list: the filter, the claims that pass it, and the selection.
#[derive(Debug, Clone, Default)]
pub struct List {
    pub(in crate::app) filter: Filter,
    /// The claims that pass the filter, in desk order.
    pub(in crate::app) visible: Vec<ClaimRef>,
    /// Index into `visible`.
    pub(in crate::app) selected: usize,
    /// The filter `visible` was computed with, while the desk has not
    /// changed since: a longer search then looks only within those hits.
    pub(in crate::app) filtered_by: Option<Filter>,
    pub(in crate::app) sort: Sort,
    /// Claims selected with `v`: a digit marks them all.
    pub(in crate::app) marked: HashSet<ClaimId>,
}

impl List {
    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    pub fn visible(&self) -> &[ClaimRef] {
        &self.visible
    }

    /// Index of the selected claim in `visible`.
    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn selected_ref(&self) -> Option<ClaimRef> {
        self.visible.get(self.selected).copied()
    }

    pub fn sort(&self) -> Sort {
        self.sort
    }

    pub fn is_marked(&self, id: &ClaimId) -> bool {
        self.marked.contains(id)
    }

    pub fn marked_count(&self) -> usize {
        self.marked.len()
    }

    /// Recompute the visible claims, keeping the selected claim selected
    /// when it still passes.
    pub(in crate::app) fn refilter(&mut self, session: &mut Session) {
        let keep_ref = self.selected_ref();
        let keep = keep_ref
            .and_then(|r| session.claim(r))
            .map(|c| c.id.clone());
        let mut visible = std::mem::take(&mut self.visible);
        session.filter_into(&self.filter, &mut visible);
        if self.sort != Sort::Desk {
            session.sort(&mut visible, self.sort);
        }
        self.visible = visible;
        self.filtered_by = Some(self.filter.clone());
        // Where nothing moved (a new filter, claims arrived), the claim is
        // at its place, shown or filtered out: a look at places, not at
        // claims (it matters at a million). Only a reload moves claims.
        let in_place = keep_ref.filter(|&at| session.claim(at).map(|c| &c.id) == keep.as_ref());
        let found = match in_place {
            Some(at) if self.sort == Sort::Desk => (self.visible)
                .binary_search_by_key(&(at.file, at.claim), |r| (r.file, r.claim))
                .ok(),
            Some(at) => self.visible.iter().position(|r| *r == at),
            None => keep.and_then(|id| {
                (self.visible.iter()).position(|r| session.claim(*r).is_some_and(|c| c.id == id))
            }),
        };
        self.selected = match found {
            Some(i) => i,
            None => self.selected.min(self.visible.len().saturating_sub(1)),
        };
    }

    /// Files arrived at the end of the desk (progressive loading): in desk
    /// order their hits go after the others, so only they are filtered and
    /// nothing on screen moves; in another order the list is sorted anew.
    pub(in crate::app) fn take_arrivals(&mut self, session: &mut Session, files: Range<usize>) {
        if !self.patchable() {
            self.invalidate();
            return self.refilter(session);
        }
        let hits = self.hits_in(session, files);
        self.visible.extend(hits);
    }

    /// Whether the list can be mended file by file: it is in desk order
    /// (a file's hits are one run) and was computed with the filter it has.
    fn patchable(&self) -> bool {
        self.sort == Sort::Desk && self.filtered_by.as_ref() == Some(&self.filter)
    }

    /// The claims of `files` that pass the filter, in desk order.
    fn hits_in(&self, session: &mut Session, files: Range<usize>) -> Vec<ClaimRef> {
        let claims: Vec<ClaimRef> = session.desk().claims_in(files).map(|(r, _)| r).collect();
        session.filter_among(&self.filter, &claims)
    }

    /// File `file` was read again (a save): in desk order, only its claims
    /// are filtered again, in place; the cursor stays on its claim.
    pub(in crate::app) fn file_changed(&mut self, session: &mut Session, file: usize) {
        if !self.patchable() {
            self.invalidate();
            return self.refilter(session);
        }
        let on = self.selected_ref();
        let keep = on.and_then(|r| session.claim(r)).map(|c| c.id.clone());
        let start = self.visible.partition_point(|r| r.file < file);
        let end = self.visible.partition_point(|r| r.file <= file);
        let hits = self.hits_in(session, file..file + 1);
        let added = hits.len();
        self.visible.splice(start..end, hits);
        match on {
            // After the file: the same claim, as many rows further as the file grew.
            Some(r) if r.file > file => {
                self.selected = (self.selected + added).saturating_sub(end - start);
            }
            // In the file: the same claim if it is still shown, else the row it had.
            Some(r) if r.file == file => {
                let here = (self.visible[start..start + added].iter())
                    .position(|r| session.claim(*r).map(|c| &c.id) == keep.as_ref());
                if let Some(i) = here {
                    self.selected = start + i;
                }
            }
            _ => {}
        }
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
    }

    /// The desk changed under the list: compute it afresh, not from the last hits.
    pub(in crate::app) fn invalidate(&mut self) {
        self.filtered_by = None;
    }

    pub(in crate::app) fn move_by(&mut self, delta: isize) -> bool {
        let last = self.visible.len().saturating_sub(1);
        let next = self.selected.saturating_add_signed(delta).min(last);
        let moved = next != self.selected;
        self.selected = next;
        moved
    }
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
