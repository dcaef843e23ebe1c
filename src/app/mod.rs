//! The desk's state machine: `update(state, action)` is the only way state
//! changes, and it draws nothing. Keys become actions in `keymap`.

pub mod keymap;

use std::collections::HashSet;

use crate::model::{Claim, ClaimId, SourceId, Status};
use crate::query::{Facets, Filter, LazyIndex, SearchIndex, SourceTree, status_counts};
use crate::store::{Change, ClaimRef, Desk, Edit, now_rfc3339};
use crate::text::Bidi;
use keymap::Context;

/// Everything that can happen in the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    HalfPageUp,
    HalfPageDown,
    Top,
    Bottom,
    FocusNext,
    Open,
    ArticleView,
    SearchStart,
    SourcePicker,
    StatusFilterPicker,
    ClearFilters,
    SetStatus(Status),
    StatusPicker,
    EditNote,
    EditNoteExternal,
    Undo,
    ToggleTranslation,
    Copy,
    Help,
    Back,
    Quit,
    Toggle,
    Confirm,
    Input(char),
    Backspace,
    ClearInput,
    StatsView,
    Left,
    Right,
    /// A digit key: sets the status the scale assigns to it.
    Digit(u8),
    /// The terminal's size, in cells.
    Resize(u16, u16),
    /// Look for other reviewers' changes on disk.
    CheckDisk,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The list with the detail pane.
    Main,
    /// The selected claim, full-screen.
    Claim,
    /// The article with the selected claim highlighted.
    Article,
    /// The source x status matrix and reviewer activity.
    Stats,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Detail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    Source,
    StatusFilter,
    SetStatus,
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
    pub count: usize,
    pub value: PickerValue,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    pub kind: PickerKind,
    pub entries: Vec<PickerEntry>,
    pub cursor: usize,
    pub checked: HashSet<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help { scroll: usize },
    Picker(Picker),
    Search,
    Note { buffer: String },
}

/// What the terminal edge must do for us: things `update` cannot do purely.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Put this text on the reviewer's clipboard (OSC 52).
    Copy(String),
    /// Open $EDITOR on this note, then call `State::note_edited`.
    EditNote(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// One change of mine that `u` can take back.
#[derive(Debug, Clone)]
struct Undo {
    claim: ClaimId,
    status: Status,
    note: Option<String>,
}

pub struct State {
    pub desk: Desk,
    pub tree: SourceTree,
    index: LazyIndex,
    /// Each claim's source and status, packed, for the source and status filters.
    facets: Facets,
    pub filter: Filter,
    /// The claims that pass the filter, in desk order.
    pub visible: Vec<ClaimRef>,
    /// Index into `visible`.
    pub selected: usize,
    pub view: View,
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    /// The table shows translations instead of the original text.
    pub show_translation: bool,
    pub detail_scroll: usize,
    /// The selected cell of the stats matrix: (row, column); the last column is the total.
    pub stats_cell: (usize, usize),
    pub message: Option<Message>,
    pub reviewer: String,
    pub bidi: Bidi,
    pub color: bool,
    pub size: (u16, u16),
    pub quit: bool,
    pub effects: Vec<Effect>,
    undo: Vec<Undo>,
    /// Per-status counts over the desk, kept with the desk (every frame shows them).
    counts: Vec<usize>,
    /// Claims per source (not counting sub-sources), for the source picker.
    source_counts: std::collections::HashMap<SourceId, usize>,
    /// The filter `visible` was computed with, while the desk has not changed since.
    filtered_by: Option<Filter>,
    /// How many times we looked for others' changes.
    disk_checks: u32,
    /// Set for reviewers who may look but not change (why, for the message).
    pub read_only: Option<String>,
    /// Changes saved by this desk so far (a server tells other sessions).
    pub saves: u64,
}

impl State {
    pub fn new(desk: Desk, reviewer: String, bidi: Bidi, color: bool) -> State {
        let tree = SourceTree::of(&desk);
        let index = LazyIndex::start(&desk, &tree);
        State::with(desk, tree, index, reviewer, bidi, color)
    }

    /// A desk whose search index starts from `index` (a server's shared one,
    /// say): only the files that differ from it are folded again.
    pub fn with_index(
        desk: Desk,
        mut index: SearchIndex,
        reviewer: String,
        bidi: Bidi,
        color: bool,
    ) -> State {
        let tree = SourceTree::of(&desk);
        index.sync(&desk, &tree);
        State::with(desk, tree, LazyIndex::ready(index), reviewer, bidi, color)
    }

    fn with(
        desk: Desk,
        tree: SourceTree,
        index: LazyIndex,
        reviewer: String,
        bidi: Bidi,
        color: bool,
    ) -> State {
        let mut s = State {
            desk,
            tree,
            index,
            facets: Facets::default(),
            filter: Filter::default(),
            visible: Vec::new(),
            selected: 0,
            view: View::Main,
            focus: Focus::List,
            overlay: None,
            show_translation: false,
            detail_scroll: 0,
            stats_cell: (0, 0),
            message: None,
            reviewer,
            bidi,
            color,
            size: (80, 24),
            quit: false,
            effects: Vec::new(),
            undo: Vec::new(),
            counts: Vec::new(),
            source_counts: Default::default(),
            filtered_by: None,
            disk_checks: 0,
            read_only: None,
            saves: 0,
        };
        s.desk_changed();
        s.refilter();
        s
    }

    pub fn selected_ref(&self) -> Option<ClaimRef> {
        self.visible.get(self.selected).copied()
    }

    pub fn selected_claim(&self) -> Option<&Claim> {
        self.desk.get(self.selected_ref()?)
    }

    /// The desk's statuses.
    pub fn scale(&self) -> &crate::model::Scale {
        &self.desk.settings.rating_scale
    }

    /// Per-status counts over the whole desk, in scale order.
    pub fn counts(&self) -> &[usize] {
        &self.counts
    }

    /// Add (`sign` 1) or take away (-1) one file's claims from the kept counts,
    /// so a save costs the size of its file, not of the desk.
    fn count_file(&mut self, file: Option<usize>, sign: isize) {
        let Some(f) = file.and_then(|f| self.desk.files.get(f)) else {
            return;
        };
        let scale = &self.desk.settings.rating_scale;
        for c in &f.doc.claims {
            if let Some(i) = scale.index(c.status) {
                self.counts[i] = self.counts[i].saturating_add_signed(sign);
            }
            let n = self.source_counts.entry(c.source.clone()).or_insert(0);
            *n = n.saturating_add_signed(sign);
        }
    }

    /// The desk's content changed: what is derived from it is recomputed.
    fn desk_changed(&mut self) {
        self.counts = status_counts(&self.desk);
        self.facets = Facets::of(&self.desk);
        self.source_counts = self.facets.source_counts();
        self.filtered_by = None;
    }

    /// Which key table applies now.
    pub fn context(&self) -> Context {
        match &self.overlay {
            None => Context::Desk,
            Some(Overlay::Help { .. }) => Context::Help,
            Some(Overlay::Picker(_)) => Context::Picker,
            Some(Overlay::Search | Overlay::Note { .. }) => Context::Prompt,
        }
    }

    /// Rows the claims table shows at the current size (for paging).
    fn page(&self) -> usize {
        crate::ui::table_rows(self.size.0, self.size.1).max(1)
    }

    fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }

    /// Recompute the visible list, keeping the selected claim selected when it still passes.
    fn refilter(&mut self) {
        let keep = self.selected_claim().map(|c| c.id.clone());
        // Typing on in a search only narrows it: look within the last hits.
        let narrowing = self.filtered_by.as_ref().is_some_and(|last| {
            last.sources == self.filter.sources
                && last.statuses == self.filter.statuses
                && crate::text::fold(self.filter.search.trim())
                    .contains(&crate::text::fold(last.search.trim()))
        });
        // With no search text the index (maybe still being built) is not needed.
        self.visible = if self.filter.search.trim().is_empty() {
            self.facets.filter(&self.filter)
        } else if narrowing {
            self.index.get(&self.desk, &self.tree).filter_within(
                &self.facets,
                &self.filter,
                &self.visible,
            )
        } else {
            let index = self.index.get(&self.desk, &self.tree);
            index.filter(&self.facets, &self.filter)
        };
        self.filtered_by = Some(self.filter.clone());
        let found = keep.and_then(|id| {
            self.visible
                .iter()
                .position(|r| self.desk.get(*r).is_some_and(|c| c.id == id))
        });
        self.selected = match found {
            Some(i) => i,
            None => self.selected.min(self.visible.len().saturating_sub(1)),
        };
    }

    fn move_by(&mut self, delta: isize) {
        if self.focus == Focus::Detail && self.view == View::Main {
            self.detail_scroll = self.detail_scroll.saturating_add_signed(delta);
            return;
        }
        let last = self.visible.len().saturating_sub(1);
        let next = self.selected.saturating_add_signed(delta).min(last);
        if next != self.selected {
            self.detail_scroll = 0;
        }
        self.selected = next;
    }

    /// Apply `action`. The only place state changes. Returns whether the
    /// screen may have changed (a disk check that found nothing did not).
    pub fn update(&mut self, action: Action) -> bool {
        if let Action::Resize(w, h) = action {
            self.size = (w, h);
            return true;
        }
        if action == Action::CheckDisk {
            return self.check_disk();
        }
        match self.overlay.take() {
            None => self.update_desk(action),
            Some(Overlay::Help { scroll }) => self.update_help(scroll, action),
            Some(Overlay::Picker(p)) => self.update_picker(p, action),
            Some(Overlay::Search) => self.update_search(action),
            Some(Overlay::Note { buffer }) => self.update_note(buffer, action),
        }
        true
    }

    fn update_stats(&mut self, action: Action) {
        let rows = self.tree.sources.len() + 1;
        let cols = self.scale().len() + 1;
        let (r, c) = self.stats_cell;
        self.stats_cell = match action {
            Action::Down => ((r + 1).min(rows - 1), c),
            Action::Up => (r.saturating_sub(1), c),
            Action::Right => (r, (c + 1).min(cols - 1)),
            Action::Left => (r, c.saturating_sub(1)),
            Action::Top => (0, c),
            Action::Bottom => (rows - 1, c),
            Action::Open => return self.filter_to_stats_cell(),
            Action::Back | Action::StatsView => {
                self.view = View::Main;
                return;
            }
            Action::Help => {
                self.overlay = Some(Overlay::Help { scroll: 0 });
                return;
            }
            Action::Quit => {
                self.quit = true;
                return;
            }
            _ => return,
        };
    }

    /// Enter on a cell of the matrix: the list, filtered to that source and status.
    fn filter_to_stats_cell(&mut self) {
        let (r, c) = self.stats_cell;
        let source = self.tree.depth_first().get(r).map(|(_, s)| s.id.clone());
        let status = self.scale().statuses.get(c).map(|d| d.key);
        self.filter = Filter {
            sources: source.clone().map(|id| self.tree.with_descendants([id])),
            statuses: status.map(|s| HashSet::from([s])),
            search: String::new(),
        };
        self.refilter();
        self.selected = 0;
        self.view = View::Main;
        self.focus = Focus::List;
        let what = format!(
            "{} · {}",
            source
                .as_ref()
                .map_or("all sources", |id| self.tree.name(id)),
            status.map_or("any status", |s| s.key())
        );
        self.info(format!("{} claim(s): {what}", self.visible.len()));
    }

    fn update_desk(&mut self, action: Action) {
        if self.view == View::Stats {
            return self.update_stats(action);
        }
        let page = self.page() as isize;
        match action {
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::PageDown => self.move_by(page),
            Action::PageUp => self.move_by(-page),
            Action::HalfPageDown => self.move_by(page / 2),
            Action::HalfPageUp => self.move_by(-page / 2),
            Action::Top => self.move_by(isize::MIN / 2),
            Action::Bottom => self.move_by(isize::MAX / 2),
            Action::FocusNext => {
                self.focus = match self.focus {
                    Focus::List => Focus::Detail,
                    Focus::Detail => Focus::List,
                }
            }
            Action::Open => self.view = View::Claim,
            Action::StatsView => self.view = View::Stats,
            Action::ArticleView => self.view = View::Article,
            Action::SearchStart => self.overlay = Some(Overlay::Search),
            Action::SourcePicker => self.overlay = Some(Overlay::Picker(self.source_picker())),
            Action::StatusFilterPicker => {
                self.overlay = Some(Overlay::Picker(
                    self.status_picker(PickerKind::StatusFilter),
                ))
            }
            Action::StatusPicker if self.selected_claim().is_some() => {
                self.overlay = Some(Overlay::Picker(self.status_picker(PickerKind::SetStatus)))
            }
            Action::ClearFilters => {
                self.filter = Filter::default();
                self.refilter();
                self.info("filters cleared");
            }
            Action::SetStatus(status) => self.set_status(status),
            Action::Digit(d) => match self.scale().by_digit(d) {
                Some(status) => self.set_status(status),
                None => self.error(format!("no status on key {d}; ? lists the keys")),
            },
            Action::EditNote | Action::EditNoteExternal if self.read_only.is_some() => {
                self.change(Edit::Note(String::new()));
            }
            Action::EditNote => {
                if let Some(c) = self.selected_claim() {
                    let buffer = c.note.clone().unwrap_or_default();
                    self.overlay = Some(Overlay::Note { buffer });
                }
            }
            Action::EditNoteExternal => {
                if let Some(c) = self.selected_claim() {
                    let note = c.note.clone().unwrap_or_default();
                    self.effects.push(Effect::EditNote(note));
                }
            }
            Action::Undo => self.undo(),
            Action::ToggleTranslation => self.show_translation = !self.show_translation,
            Action::Copy => {
                if let Some(text) = self.citation() {
                    self.effects.push(Effect::Copy(text));
                    self.info("copied the claim to your clipboard (OSC 52)");
                }
            }
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::Back => {
                if self.view != View::Main {
                    self.view = View::Main;
                } else if self.focus == Focus::Detail {
                    self.focus = Focus::List;
                } else if !self.filter.search.is_empty() {
                    self.filter.search.clear();
                    self.refilter();
                } else {
                    self.message = None;
                }
            }
            Action::Quit => self.quit = true,
            _ => {}
        }
    }

    fn update_help(&mut self, scroll: usize, action: Action) {
        match action {
            Action::Back => {}
            Action::Quit => self.quit = true,
            Action::Down => self.overlay = Some(Overlay::Help { scroll: scroll + 1 }),
            Action::Up => {
                self.overlay = Some(Overlay::Help {
                    scroll: scroll.saturating_sub(1),
                })
            }
            _ => self.overlay = Some(Overlay::Help { scroll }),
        }
    }

    fn update_search(&mut self, action: Action) {
        match action {
            Action::Input(c) => {
                self.filter.search.push(c);
                self.refilter();
                self.overlay = Some(Overlay::Search);
            }
            Action::Backspace => {
                self.filter.search.pop();
                self.refilter();
                self.overlay = Some(Overlay::Search);
            }
            Action::ClearInput => {
                self.filter.search.clear();
                self.refilter();
                self.overlay = Some(Overlay::Search);
            }
            Action::Confirm => {}
            Action::Back => {
                self.filter.search.clear();
                self.refilter();
            }
            Action::Quit => self.quit = true,
            _ => self.overlay = Some(Overlay::Search),
        }
    }

    fn update_note(&mut self, mut buffer: String, action: Action) {
        match action {
            Action::Input(c) => buffer.push(c),
            Action::Backspace => {
                buffer.pop();
            }
            Action::ClearInput => buffer.clear(),
            Action::Confirm => return self.save_note(buffer),
            Action::Back => return self.info("note not changed"),
            Action::Quit => {
                self.quit = true;
                return;
            }
            _ => {}
        }
        self.overlay = Some(Overlay::Note { buffer });
    }

    fn update_picker(&mut self, mut p: Picker, action: Action) {
        match action {
            Action::Down => p.cursor = (p.cursor + 1).min(p.entries.len().saturating_sub(1)),
            Action::Up => p.cursor = p.cursor.saturating_sub(1),
            Action::Toggle if p.kind != PickerKind::SetStatus => {
                let cursor = p.cursor;
                toggle(&mut p.checked, cursor)
            }
            Action::Confirm => return self.apply_picker(p),
            Action::Back => return,
            Action::Quit => {
                self.quit = true;
                return;
            }
            _ => {}
        }
        self.overlay = Some(Overlay::Picker(p));
    }

    fn apply_picker(&mut self, p: Picker) {
        let chosen: Vec<&PickerValue> = if p.checked.is_empty() {
            p.entries
                .get(p.cursor)
                .map(|e| &e.value)
                .into_iter()
                .collect()
        } else {
            let mut idx: Vec<_> = p.checked.iter().copied().collect();
            idx.sort_unstable();
            idx.iter()
                .filter_map(|i| p.entries.get(*i))
                .map(|e| &e.value)
                .collect()
        };
        match p.kind {
            PickerKind::Source => {
                let ids = chosen.iter().filter_map(|v| match v {
                    PickerValue::Source(id) => Some(id.clone()),
                    PickerValue::Status(_) => None,
                });
                self.filter.sources = Some(self.tree.with_descendants(ids));
                self.refilter();
            }
            PickerKind::StatusFilter => {
                let set = chosen
                    .iter()
                    .filter_map(|v| match v {
                        PickerValue::Status(s) => Some(*s),
                        PickerValue::Source(_) => None,
                    })
                    .collect();
                self.filter.statuses = Some(set);
                self.refilter();
            }
            PickerKind::SetStatus => {
                if let Some(PickerValue::Status(s)) = chosen.first() {
                    let s = *s;
                    self.set_status(s);
                }
            }
        }
    }

    fn source_picker(&self) -> Picker {
        let per_source = &self.source_counts;
        let entries: Vec<PickerEntry> = self
            .tree
            .depth_first()
            .into_iter()
            .map(|(depth, s)| PickerEntry {
                label: s.name.clone(),
                depth,
                count: per_source.get(&s.id).copied().unwrap_or(0),
                value: PickerValue::Source(s.id.clone()),
            })
            .collect();
        // Start with the current filter ticked, so the picker edits it.
        let checked = match &self.filter.sources {
            Some(set) => entries
                .iter()
                .enumerate()
                .filter(|(_, e)| matches!(&e.value, PickerValue::Source(id) if set.contains(id)))
                .map(|(i, _)| i)
                .collect(),
            None => HashSet::new(),
        };
        Picker {
            kind: PickerKind::Source,
            entries,
            cursor: 0,
            checked,
        }
    }

    fn status_picker(&self, kind: PickerKind) -> Picker {
        let counts = self.counts();
        let scale = self.scale();
        let entries = scale
            .statuses
            .iter()
            .zip(counts.iter().copied())
            .map(|(d, count)| PickerEntry {
                label: match d.digit {
                    Some(g) => format!("{g} {}", d.label),
                    None => d.label.clone(),
                },
                depth: 0,
                count,
                value: PickerValue::Status(d.key),
            })
            .collect();
        let cursor = match kind {
            PickerKind::SetStatus => self
                .selected_claim()
                .and_then(|c| scale.index(c.status))
                .unwrap_or(0),
            _ => 0,
        };
        let checked = match (&self.filter.statuses, kind) {
            (Some(set), PickerKind::StatusFilter) => scale
                .keys()
                .enumerate()
                .filter(|(_, s)| set.contains(s))
                .map(|(i, _)| i)
                .collect(),
            _ => HashSet::new(),
        };
        Picker {
            kind,
            entries,
            cursor,
            checked,
        }
    }

    /// Save one edit of the selected claim through the store, now.
    fn change(&mut self, edit: Edit) -> bool {
        if let Some(why) = &self.read_only {
            let why = why.clone();
            self.error(format!("read-only: {why}; nothing was changed"));
            return false;
        }
        let Some(claim) = self.selected_claim() else {
            return false;
        };
        let id = claim.id.clone();
        let before = Undo {
            claim: id.clone(),
            status: claim.status,
            note: claim.note.clone(),
        };
        let undoing = matches!(edit, Edit::Undo { .. });
        let change = Change {
            claim: id.clone(),
            by: self.reviewer.clone(),
            at: now_rfc3339(),
            edit,
        };
        let count = self.desk.claim_count();
        // The save re-reads the claim's file: others' changes in it arrive too.
        let file = self.desk.find(&id).map(|r| r.file);
        self.count_file(file, -1);
        let applied = self
            .desk
            .apply(&change)
            .map(|_| ())
            .map_err(|e| e.to_string());
        self.count_file(file, 1);
        match applied {
            Ok(_) => {
                if !undoing {
                    self.undo.push(before);
                }
                self.saves += 1;
                self.after_change(&id, count);
                true
            }
            Err(e) => {
                self.error(format!("not saved: {e}"));
                false
            }
        }
    }

    /// Keep the search index and the list in step with a saved change.
    /// The save re-read the claim's file, so others' changes in it are
    /// taken in too: the whole file is refreshed, not just the one claim.
    fn after_change(&mut self, id: &ClaimId, count_before: usize) {
        let at = self.desk.find(id);
        let same_count = self.desk.claim_count() == count_before;
        match at {
            Some(at) if same_count && self.facets.refresh_file(&self.desk, at.file) => {
                // The re-read file may define sources the tree has not seen.
                let file = self.desk.files.get(at.file);
                let known = file.is_some_and(|f| {
                    (f.doc.sources.iter()).all(|s| self.tree.get(&s.id) == Some(s))
                });
                if !known {
                    self.tree = SourceTree::of(&self.desk);
                }
                self.index
                    .get(&self.desk, &self.tree)
                    .sync(&self.desk, &self.tree);
            }
            // The file gained or lost claims under us: rebuild from scratch.
            _ => {
                self.tree = SourceTree::of(&self.desk);
                self.index = LazyIndex::ready(SearchIndex::build(&self.desk, &self.tree));
                self.desk_changed();
            }
        }
        self.filtered_by = None;
        self.refilter();
    }

    fn set_status(&mut self, status: Status) {
        let Some(c) = self.selected_claim() else {
            return self.error("no claim selected");
        };
        let (id, old) = (c.id.clone(), c.status);
        let edit = Edit::Status {
            status,
            note: None,
            evidence: Vec::new(),
        };
        if self.change(edit) {
            self.info(format!("{id}: {old} -> {status}"));
        }
    }

    fn save_note(&mut self, note: String) {
        if self.change(Edit::Note(note)) {
            self.info("note saved");
        }
    }

    /// The external editor returned `note` for the selected claim.
    pub fn note_edited(&mut self, note: String) {
        let note = note.trim_end().to_string();
        if self
            .selected_claim()
            .and_then(|c| c.note.clone())
            .unwrap_or_default()
            == note
        {
            return self.info("note not changed");
        }
        self.save_note(note);
    }

    fn undo(&mut self) {
        let Some(last) = self.undo.pop() else {
            return self.info("nothing to undo");
        };
        // Undo applies to its claim even if the selection moved on.
        if let Some(at) = self.desk.find(&last.claim) {
            if !self.visible.contains(&at) {
                self.filter = Filter::default();
                self.refilter();
            }
            if let Some(i) = self.visible.iter().position(|r| *r == at) {
                self.selected = i;
            }
        }
        let edit = Edit::Undo {
            status: last.status,
            note: last.note.clone(),
        };
        if self.change(edit) {
            self.info(format!("undone: {} is {} again", last.claim, last.status));
        }
    }

    fn check_disk(&mut self) -> bool {
        // Every check costs one stat; every tenth also stats each file, for
        // editors that write in place (a directory change is seen at once).
        self.disk_checks = self.disk_checks.wrapping_add(1);
        let hinted = self.desk.dir_changed();
        if !(hinted || self.disk_checks.is_multiple_of(10)) || !self.desk.changed_on_disk() {
            return false;
        }
        self.reload();
        true
    }

    /// Reload now if any file changed on disk (another session saved, say).
    pub fn reload_now(&mut self) -> bool {
        if !self.desk.changed_on_disk() {
            return false;
        }
        let _ = self.desk.dir_changed();
        self.reload()
    }

    /// Re-read the files that changed and rebuild what derives from them.
    fn reload(&mut self) -> bool {
        let outcome = self.desk.refresh();
        if outcome.changed {
            self.tree = SourceTree::of(&self.desk);
            // Only the files that changed are folded again.
            self.index
                .get(&self.desk, &self.tree)
                .sync(&self.desk, &self.tree);
            self.desk_changed();
            self.refilter();
        }
        if let Some(p) = outcome.problems.first() {
            self.error(format!("not reloaded: {p}"));
        }
        outcome.changed
    }

    /// Show an error from outside the state machine (the editor failed, say).
    pub fn report_error(&mut self, text: String) {
        self.error(text);
    }

    /// The selected claim as text to paste elsewhere, with a one-line citation.
    pub fn citation(&self) -> Option<String> {
        let at = self.selected_ref()?;
        let c = self.desk.get(at)?;
        let doc = self.desk.doc(at)?;
        let a = &doc.article;
        Some(format!(
            "{}\n{}\nSource: {}\nStatus: {}\n{}, \"{}\", {}, paragraph {} (claim {})",
            c.text,
            c.translation,
            self.tree.name(&c.source),
            c.status,
            a.outlet,
            a.title_en,
            a.published.get(..10).unwrap_or(&a.published),
            c.paragraph,
            c.id
        ))
    }
}

fn toggle(set: &mut HashSet<usize>, i: usize) {
    if !set.remove(&i) {
        set.insert(i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Desk;
    use std::path::Path;

    /// A desk on a private copy of the shipped claims, since updates write.
    fn state() -> (tempfile::TempDir, State) {
        let dir = tempfile::tempdir().expect("temp dir");
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("claims");
        for e in std::fs::read_dir(shipped).expect("claims dir").flatten() {
            if e.file_name().to_string_lossy().ends_with(".yaml") {
                std::fs::copy(e.path(), dir.path().join(e.file_name())).expect("copy");
            }
        }
        let desk = Desk::load(dir.path()).expect("loads");
        (dir, State::new(desk, "alice".into(), Bidi::Reorder, false))
    }

    fn run(s: &mut State, actions: &[Action]) {
        for a in actions {
            s.update(*a);
        }
    }

    fn typed(s: &mut State, text: &str) {
        for c in text.chars() {
            s.update(Action::Input(c));
        }
    }

    fn selected_id(s: &State) -> String {
        s.selected_claim()
            .map(|c| c.id.0.clone())
            .unwrap_or_default()
    }

    /// Bob, in another process as far as this desk knows, saves a status.
    fn another_reviewer_marks(dir: &Path, id: &str, status: Status) {
        let mut other = Desk::load(dir).expect("loads");
        let edit = Edit::Status {
            status,
            note: None,
            evidence: vec![],
        };
        let change = Change {
            claim: ClaimId(id.into()),
            by: "bob".into(),
            at: "2026-11-28T10:00:00Z".into(),
            edit,
        };
        other.apply(&change).expect("bob saves");
    }

    fn selected_ids(s: &State) -> Vec<String> {
        s.visible
            .iter()
            .filter_map(|r| s.desk.get(*r))
            .map(|c| c.id.0.clone())
            .collect()
    }

    /// The claims shown with `filter` alone, then with no filter but a search for `query`.
    fn filtered_then_searched(s: &mut State, filter: Filter, query: &str) -> [Vec<String>; 2] {
        s.filter = filter;
        s.refilter();
        let filtered = selected_ids(s);
        s.filter = Filter::default();
        run(s, &[Action::SearchStart]);
        typed(s, query);
        [filtered, selected_ids(s)]
    }

    fn on_disk(dir: &Path, id: &str) -> Claim {
        let desk = Desk::load(dir).expect("reload");
        desk.get(desk.find(&ClaimId(id.into())).expect("id"))
            .expect("claim")
            .clone()
    }

    #[test]
    fn moving_stays_within_the_list() {
        let (_d, mut s) = state();
        run(&mut s, &[Action::Up]);
        assert_eq!(s.selected, 0);
        run(&mut s, &[Action::Down, Action::Down]);
        assert_eq!(selected_id(&s), "alb-03");
        run(&mut s, &[Action::Bottom]);
        assert_eq!(s.selected, s.visible.len() - 1);
        run(&mut s, &[Action::Down, Action::Top]);
        assert_eq!(s.selected, 0);
        run(&mut s, &[Action::Resize(80, 24), Action::PageDown]);
        assert_eq!(s.selected, crate::ui::table_rows(80, 24));
    }

    #[test]
    fn search_filters_as_you_type_enter_keeps_esc_clears() {
        let (_d, mut s) = state();
        run(&mut s, &[Action::SearchStart]);
        assert_eq!(s.context(), Context::Prompt);
        typed(&mut s, "tol");
        assert_eq!(
            s.visible.len(),
            1,
            "only the Treasury's 'will not tolerate'"
        );
        run(
            &mut s,
            &[Action::Backspace, Action::Backspace, Action::Backspace],
        );
        assert_eq!(s.visible.len(), 53);
        typed(&mut s, "article 5");
        let kept = s.visible.len();
        assert!(kept >= 3, "{kept}");
        run(&mut s, &[Action::Confirm]);
        assert_eq!(s.overlay, None);
        assert_eq!(s.visible.len(), kept);
        run(&mut s, &[Action::SearchStart, Action::Back]);
        assert_eq!(s.visible.len(), 53);
    }

    #[test]
    fn arabic_search_ignores_harakat_and_hamza() {
        let (_d, mut s) = state();
        run(&mut s, &[Action::SearchStart]);
        // The article writes "مشدّدة"-style shadda and "الأمريكية" with hamza; type neither.
        typed(&mut s, "الامريكية");
        let plain = s.visible.len();
        assert!(plain > 0);
        run(&mut s, &[Action::ClearInput]);
        typed(&mut s, "الأمريكيـة");
        assert_eq!(s.visible.len(), plain);
    }

    #[test]
    fn source_picker_applies_the_highlighted_source_with_its_children() {
        let (_d, mut s) = state();
        run(&mut s, &[Action::SourcePicker]);
        let Some(Overlay::Picker(p)) = &s.overlay else {
            panic!("no picker")
        };
        let white_house = p
            .entries
            .iter()
            .position(|e| e.label == "The White House")
            .expect("listed");
        for _ in 0..white_house {
            s.update(Action::Down);
        }
        run(&mut s, &[Action::Confirm]);
        assert_eq!(
            s.visible.len(),
            7,
            "White House 1 + NSC 4 + press secretary 2"
        );
        run(&mut s, &[Action::ClearFilters]);
        assert_eq!(s.visible.len(), 53);
    }

    #[test]
    fn space_toggles_several_sources_and_combines_with_search() {
        let (_d, mut s) = state();
        run(&mut s, &[Action::SourcePicker]);
        let Some(Overlay::Picker(p)) = &s.overlay else {
            panic!("no picker")
        };
        let pos = |name: &str| p.entries.iter().position(|e| e.label == name).expect(name);
        let (nato, treasury) = (pos("NATO"), pos("US Treasury Department"));
        for i in 0..=treasury {
            if i == nato || i == treasury {
                s.update(Action::Toggle);
            }
            s.update(Action::Down);
        }
        run(&mut s, &[Action::Confirm]);
        assert_eq!(s.visible.len(), 4 + 3);
        run(&mut s, &[Action::SearchStart]);
        typed(&mut s, "cyber");
        run(&mut s, &[Action::Confirm]);
        assert!(s.visible.len() < 7 && !s.visible.is_empty());
        for r in &s.visible {
            let c = s.desk.get(*r).expect("claim");
            assert!(["nato", "nato-member-states", "us-treasury"].contains(&c.source.0.as_str()));
        }
    }

    #[test]
    fn selection_is_kept_through_filtering() {
        let (_d, mut s) = state();
        run(&mut s, &[Action::Down; 27]);
        assert_eq!(selected_id(&s), "alb-28");
        run(&mut s, &[Action::SearchStart]);
        typed(&mut s, "nato");
        assert_eq!(selected_id(&s), "alb-28", "still matches, still selected");
        run(&mut s, &[Action::Back]);
        assert_eq!(selected_id(&s), "alb-28");
    }

    #[test]
    fn status_keys_save_at_once_and_undo_is_recorded() {
        let (dir, mut s) = state();
        run(&mut s, &[Action::Down, Action::SetStatus(Status::False)]);
        let c = on_disk(dir.path(), "alb-02");
        assert_eq!(c.status, Status::False);
        assert_eq!(c.history.len(), 1);
        assert_eq!(c.history[0].by, "alice");
        run(&mut s, &[Action::Down, Action::Undo]);
        assert_eq!(selected_id(&s), "alb-02", "undo goes back to its claim");
        let c = on_disk(dir.path(), "alb-02");
        assert_eq!(c.status, Status::Unreviewed);
        assert_eq!(c.history.len(), 2, "undo is added to history, not erased");
        assert!(c.history[1].undo);
        run(&mut s, &[Action::Undo]);
        assert_eq!(
            s.message.as_ref().map(|m| m.text.as_str()),
            Some("nothing to undo")
        );
    }

    #[test]
    fn status_picker_and_status_filter() {
        let (dir, mut s) = state();
        run(
            &mut s,
            &[
                Action::StatusPicker,
                Action::Down,
                Action::Down,
                Action::Confirm,
            ],
        );
        assert_eq!(on_disk(dir.path(), "alb-01").status, Status::Verified);
        run(
            &mut s,
            &[
                Action::StatusFilterPicker,
                Action::Down,
                Action::Down,
                Action::Confirm,
            ],
        );
        assert_eq!(s.visible.len(), 1);
        // Changing the only shown claim's status makes it leave the filtered list.
        run(&mut s, &[Action::SetStatus(Status::Misleading)]);
        assert!(s.visible.is_empty());
    }

    #[test]
    fn inline_note_is_saved_and_esc_cancels() {
        let (dir, mut s) = state();
        run(&mut s, &[Action::EditNote]);
        typed(&mut s, "source: Rama's tweet");
        run(&mut s, &[Action::Confirm]);
        assert_eq!(
            on_disk(dir.path(), "alb-01").note.as_deref(),
            Some("source: Rama's tweet")
        );
        run(&mut s, &[Action::EditNote]);
        typed(&mut s, " more");
        run(&mut s, &[Action::Back]);
        assert_eq!(
            on_disk(dir.path(), "alb-01").note.as_deref(),
            Some("source: Rama's tweet")
        );
    }

    #[test]
    fn another_reviewers_change_appears_without_moving_the_cursor() {
        let (dir, mut s) = state();
        run(&mut s, &[Action::Down, Action::Down, Action::Down]);
        run(&mut s, &[Action::SearchStart]);
        typed(&mut s, "a");
        run(&mut s, &[Action::Confirm]);
        let before = selected_id(&s);
        let shown = s.visible.len();
        assert!(!s.update(Action::CheckDisk), "nothing changed yet");
        another_reviewer_marks(dir.path(), "alb-10", Status::Verified);
        assert!(s.update(Action::CheckDisk));
        assert_eq!(selected_id(&s), before);
        assert_eq!(s.visible.len(), shown);
        assert_eq!(s.filter.search, "a");
        assert_eq!(s.counts()[2], 1, "verified is third on the default scale");
    }

    #[test]
    fn esc_backs_out_step_by_step_and_q_quits() {
        let (_d, mut s) = state();
        run(&mut s, &[Action::Open]);
        assert_eq!(s.view, View::Claim);
        run(&mut s, &[Action::Back]);
        assert_eq!(s.view, View::Main);
        run(&mut s, &[Action::ArticleView, Action::Down]);
        assert_eq!(
            (s.view, selected_id(&s).as_str()),
            (View::Article, "alb-02")
        );
        run(&mut s, &[Action::Back, Action::Help]);
        assert_eq!(s.context(), Context::Help);
        run(&mut s, &[Action::Quit]);
        assert!(s.quit);
    }

    #[test]
    fn stats_cell_enter_filters_the_list_to_its_source_and_status() {
        let (_d, mut s) = state();
        run(
            &mut s,
            &[
                Action::Down,
                Action::SetStatus(Status::Verified),
                Action::StatsView,
            ],
        );
        assert_eq!(s.view, View::Stats);
        // The last row is all sources; the third column is verified.
        run(
            &mut s,
            &[Action::Bottom, Action::Right, Action::Right, Action::Open],
        );
        assert_eq!(s.view, View::Main);
        assert_eq!(s.visible.len(), 1);
        assert_eq!(selected_id(&s), "alb-02");
        // A parent source's row includes its children; the total column any status.
        run(&mut s, &[Action::StatsView, Action::Top]);
        let wh = s
            .tree
            .depth_first()
            .iter()
            .position(|(_, x)| x.name == "The White House")
            .expect("row");
        for _ in 0..wh {
            s.update(Action::Down);
        }
        for _ in 0..10 {
            s.update(Action::Right);
        }
        run(&mut s, &[Action::Open]);
        assert_eq!(s.visible.len(), 7);
        assert_eq!(s.filter.statuses, None);
    }

    #[test]
    fn digits_pickers_and_help_follow_the_desks_scale() {
        let (dir, _) = state();
        let settings = "rating_scale:\n  best: 5\n  worst: 1\n  statuses:\n\
            \x20   - {key: unreviewed, label: Unreviewed, digit: 1}\n\
            \x20   - {key: in-review, label: In review, digit: 2}\n\
            \x20   - {key: half-true, label: Half true, digit: 7, color: yellow, rating: {value: 3, text: Half true}}\n";
        std::fs::write(dir.path().join("claimdesk.yaml"), settings).expect("settings");
        let desk = Desk::load(dir.path()).expect("loads with the custom scale");
        let mut s = State::new(desk, "alice".into(), Bidi::Reorder, false);
        run(&mut s, &[Action::Digit(7)]);
        assert_eq!(on_disk(dir.path(), "alb-01").status.key(), "half-true");
        assert_eq!(s.counts(), [52, 0, 1]);
        run(&mut s, &[Action::Digit(3)]);
        assert!(
            s.message
                .as_ref()
                .is_some_and(|m| m.error && m.text.contains("no status on key 3"))
        );
        run(&mut s, &[Action::StatusPicker]);
        let Some(Overlay::Picker(p)) = &s.overlay else {
            panic!("no picker")
        };
        let labels: Vec<&str> = p.entries.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(labels, ["1 Unreviewed", "2 In review", "7 Half true"]);
        assert_eq!(p.cursor, 2, "the picker starts on the claim's status");
        let help: Vec<String> = crate::ui::help_text(&s);
        assert!(
            help.iter()
                .any(|l| l.contains("7") && l.contains("Half true (half-true)")),
            "{help:?}"
        );
        assert!(!help.iter().any(|l| l.contains("(verified)")));
    }

    #[test]
    fn narrowing_a_search_finds_exactly_what_a_full_scan_finds() {
        let (_d, mut s) = state();
        run(&mut s, &[Action::SearchStart]);
        let check = |s: &State| {
            let full = SearchIndex::build(&s.desk, &s.tree).filter(&Facets::of(&s.desk), &s.filter);
            assert_eq!(s.visible, full, "search {:?}", s.filter.search);
        };
        for c in "attack".chars() {
            s.update(Action::Input(c));
            check(&s);
        }
        for a in [
            Action::Backspace,
            Action::Backspace,
            Action::Input('x'),
            Action::ClearInput,
        ] {
            s.update(a);
            check(&s);
        }
        for c in "الأمريكية".chars() {
            s.update(Action::Input(c));
            check(&s);
        }
    }

    #[test]
    fn kept_counts_match_a_recount_after_a_save_that_brings_others_changes() {
        let (dir, mut s) = state();
        another_reviewer_marks(dir.path(), "alb-10", Status::Verified);
        // No disk check in between: my save re-reads the file with bob's change in it.
        run(&mut s, &[Action::SetStatus(Status::False)]);
        assert_eq!(s.counts(), status_counts(&s.desk).as_slice());
        assert_eq!(s.counts()[2], 1, "bob's verified");
        assert_eq!(s.counts()[4], 1, "my false");
        run(&mut s, &[Action::SourcePicker]);
        let Some(Overlay::Picker(p)) = &s.overlay else {
            panic!("no picker")
        };
        let total: usize = p.entries.iter().map(|e| e.count).sum();
        assert_eq!(total, 53);
    }

    #[test]
    fn a_save_that_brings_others_changes_makes_them_filterable_and_searchable() {
        let (dir, mut s) = state();
        let mut bob = Desk::load(dir.path()).expect("loads");
        let change = Change {
            claim: ClaimId("alb-10".into()),
            by: "bob".into(),
            at: "2026-11-28T10:00:00Z".into(),
            edit: Edit::Status {
                status: Status::Verified,
                note: Some("confirmed by the quokka desk".into()),
                evidence: vec![],
            },
        };
        bob.apply(&change).expect("bob saves");
        // My save re-reads the file, bob's change with it.
        run(&mut s, &[Action::SetStatus(Status::False)]);
        let verified = Filter {
            statuses: Some([Status::Verified].into()),
            ..Filter::default()
        };
        assert_eq!(
            filtered_then_searched(&mut s, verified, "quokka"),
            [["alb-10"], ["alb-10"]]
        );
    }

    #[test]
    fn a_source_someone_added_by_hand_arrives_with_my_next_save() {
        let (dir, mut s) = state();
        let path = common_file(dir.path());
        let yaml = std::fs::read_to_string(&path).expect("read");
        let edited = yaml
            .replacen(
                "sources:\n",
                "sources:\n  - id: quokka-agency\n    name: Quokka Agency\n    name_original: كوكا\n    kind: news-agency\n",
                1,
            )
            .replacen(
                "  - id: alb-10\n    source: albania-interior-ministry\n",
                "  - id: alb-10\n    source: quokka-agency\n",
                1,
            );
        assert_ne!(edited, yaml);
        std::fs::write(&path, edited).expect("hand edit");
        // No disk check in between: my save re-reads the file with the edit in it.
        run(&mut s, &[Action::SetStatus(Status::False)]);
        assert_eq!(
            s.tree.name(&SourceId("quokka-agency".into())),
            "Quokka Agency"
        );
        let quokka = Filter {
            sources: Some(s.tree.matching("quokka")),
            ..Filter::default()
        };
        assert_eq!(
            filtered_then_searched(&mut s, quokka, "quokka agency"),
            [["alb-10"], ["alb-10"]]
        );
    }

    #[test]
    fn a_read_only_desk_says_so_and_changes_nothing() {
        let (dir, mut s) = state();
        s.read_only = Some("your role is viewer".into());
        let before = std::fs::read(common_file(dir.path())).expect("read");
        for a in [
            Action::SetStatus(Status::False),
            Action::Digit(3),
            Action::EditNote,
            Action::EditNoteExternal,
        ] {
            s.message = None;
            s.update(a);
            let m = s.message.clone().expect("a message");
            assert!(m.error && m.text.contains("read-only"), "{a:?}: {}", m.text);
        }
        s.update(Action::Undo);
        assert!(s.effects.is_empty(), "no editor for a viewer");
        assert_eq!(
            std::fs::read(common_file(dir.path())).expect("read"),
            before
        );
        assert_eq!(s.saves, 0);
        assert_eq!(s.overlay, None, "no note prompt for a viewer");
    }

    fn common_file(dir: &Path) -> std::path::PathBuf {
        dir.join("000_albania-iran-cyberattacks.yaml")
    }

    #[test]
    fn copy_asks_the_terminal_for_a_citation() {
        let (_d, mut s) = state();
        run(&mut s, &[Action::Copy]);
        let [Effect::Copy(text)] = s.effects.as_slice() else {
            panic!("{:?}", s.effects)
        };
        assert!(text.contains("بعد هجوم إلكتروني ثان"));
        assert!(text.contains("24.ae") && text.contains("claim alb-01"));
    }
}
