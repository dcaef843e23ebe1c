//! The desk's keys, as one table: it dispatches keys, and it generates the
//! `?` help, the status-bar hints and the keys pane titles name, so none of
//! them can drift from what a key does.
//!
//! `Key` is our own type: the terminal front end converts crossterm's
//! events into it and the SSH front end parses bytes straight into it, so
//! the state machine compiles and is tested without a terminal library.

use super::Action;
use crate::model::Scale;

/// A key as the desk sees it. Shifted letters arrive as their capital.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyCode {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    F(u8),
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    pub const fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
            alt: false,
        }
    }
}

/// Where a key applies: each view and overlay has its own keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// The claims list has focus.
    List,
    /// The detail pane beside the list has focus.
    Detail,
    /// The selected claim, full-screen.
    Claim,
    /// The article with the claim highlighted.
    Article,
    /// The source x status matrix.
    Stats,
    /// The source, status-filter and status pickers.
    Picker,
    /// Typing a picker's filter: printable keys type text.
    PickerFilter,
    /// The search prompt: printable keys type text.
    Search,
    /// The note prompt: printable keys type text.
    Note,
    /// Someone saved a note while you wrote yours: keep theirs, yours, or merge.
    NoteConflict,
    /// The evidence list of a claim.
    Evidence,
    /// Typing an evidence URL: printable keys type text.
    EvidenceInput,
    /// The help overlay.
    Help,
}

/// A key as the table writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    Is(Key),
    /// Any of 0-9: the action gets the digit (statuses come from the desk's scale).
    Digit,
}

pub struct Binding {
    pub contexts: &'static [Context],
    pub keys: &'static [Pattern],
    pub action: Action,
    pub help: &'static str,
    /// Shown in the status bar, where there is room, in these contexts.
    pub hint: Option<&'static str>,
}

/// Bindings under one heading of the help.
pub struct Section {
    pub title: &'static str,
    pub bindings: &'static [Binding],
}

use Context::{
    Article, Claim, Detail, Evidence, EvidenceInput, Help, List, Note, NoteConflict, Picker,
    PickerFilter, Search, Stats,
};
use KeyCode as K;

const fn key(c: char) -> Pattern {
    Pattern::Is(Key::char(c))
}
const fn code(c: KeyCode) -> Pattern {
    Pattern::Is(Key::plain(c))
}
const fn ctrl(c: char) -> Pattern {
    Pattern::Is(Key::ctrl(c))
}
const fn alt_enter() -> Pattern {
    Pattern::Is(Key {
        code: KeyCode::Enter,
        ctrl: false,
        alt: true,
    })
}

const fn b(
    contexts: &'static [Context],
    keys: &'static [Pattern],
    action: Action,
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        contexts,
        keys,
        action,
        help,
        hint,
    }
}

/// Views that show claims and act on the selected one.
const CLAIMS: &[Context] = &[List, Detail, Claim, Article];
/// The main view, whichever pane has focus.
const MAIN: &[Context] = &[List, Detail];
/// The views (no overlay open).
const VIEWS: &[Context] = &[List, Detail, Claim, Article, Stats];
/// Everywhere but the note editor, where a draft must never be lost to a key.
const NOT_EDITING: &[Context] = &[
    List,
    Detail,
    Claim,
    Article,
    Stats,
    Picker,
    PickerFilter,
    Search,
    NoteConflict,
    Evidence,
    EvidenceInput,
    Help,
];
const EVERYWHERE: &[Context] = &[
    List,
    Detail,
    Claim,
    Article,
    Stats,
    Picker,
    PickerFilter,
    Search,
    Note,
    NoteConflict,
    Evidence,
    EvidenceInput,
    Help,
];
/// Where j/k and the paging keys scroll text rather than move the selection.
const SCROLLING: &[Context] = &[Detail, Claim, Help];

#[rustfmt::skip]
pub const KEYMAP: &[Section] = &[
    Section { title: "Moving", bindings: &[
        b(&[List, Article], &[key('j'), code(K::Down)], Action::Down, "next claim", None),
        b(&[List, Article], &[key('k'), code(K::Up)], Action::Up, "previous claim", None),
        b(SCROLLING, &[key('j'), code(K::Down)], Action::Down, "scroll down", None),
        b(SCROLLING, &[key('k'), code(K::Up)], Action::Up, "scroll up", None),
        b(&[List, Detail, Claim, Help], &[code(K::PageDown)], Action::PageDown, "one page down", None),
        b(&[List, Detail, Claim, Help], &[code(K::PageUp)], Action::PageUp, "one page up", None),
        b(&[List, Detail, Claim, Help], &[ctrl('d')], Action::HalfPageDown, "half a page down", None),
        b(&[List, Detail, Claim, Help], &[ctrl('u')], Action::HalfPageUp, "half a page up", None),
        b(&[List, Detail, Claim, Article, Help], &[key('g'), code(K::Home)], Action::Top, "to the top (first claim)", None),
        b(&[List, Detail, Claim, Article, Help], &[key('G'), code(K::End)], Action::Bottom, "to the bottom (last claim)", None),
        b(MAIN, &[code(K::Tab)], Action::FocusNext, "move focus between the list and the detail", None),
    ]},
    Section { title: "Views", bindings: &[
        b(MAIN, &[code(K::Enter)], Action::Open, "the claim full-screen", None),
        b(&[List, Detail, Claim], &[key('a')], Action::ArticleView, "read the claim in the article", Some("a article")),
        b(&[List, Detail, Claim, Article], &[key('S')], Action::StatsView, "stats: source x status matrix, reviewer activity", None),
        b(MAIN, &[key('t')], Action::ToggleTranslation, "list: original text / translation", None),
        b(VIEWS, &[key('?')], Action::Help, "this help", Some("? help")),
        b(VIEWS, &[key('M')], Action::Messages, "messages and errors of this session, in full", None),
        b(&[List, Detail, Claim, Article, Stats], &[code(K::Esc)], Action::Back, "back out (close the view, clear the search)", None),
        b(VIEWS, &[key('q')], Action::Quit, "quit", Some("q quit")),
        b(NOT_EDITING, &[ctrl('c')], Action::Quit, "quit from anywhere (not while writing a note)", None),
        b(EVERYWHERE, &[ctrl('z')], Action::Suspend, "suspend to the shell (fg comes back)", None),
    ]},
    Section { title: "Filters and search", bindings: &[
        b(MAIN, &[key('/')], Action::SearchStart, "search (text, translation, source, note)", Some("/ search")),
        b(MAIN, &[key(':')], Action::GoTo, "go to a claim by its id (type to narrow, Enter goes)", None),
        b(MAIN, &[key('s')], Action::SourcePicker, "filter by source", Some("s source")),
        b(MAIN, &[key('f')], Action::StatusFilterPicker, "filter by status", Some("f status")),
        b(MAIN, &[key('c')], Action::ClearFilters, "clear all filters and search", None),
    ]},
    Section { title: "Marking the selected claim", bindings: &[
        b(CLAIMS, &[Pattern::Digit], Action::Digit(0), "mark with the status on that digit:", Some("mark")),
        b(CLAIMS, &[key(' ')], Action::StatusPicker, "choose a status from a list", None),
        b(CLAIMS, &[key('n')], Action::EditNote, "write or edit the note inline", Some("n note")),
        b(CLAIMS, &[key('T')], Action::EditTranslation, "write the English translation inline", None),
        b(CLAIMS, &[key('e')], Action::EditNoteExternal, "edit the note in $EDITOR", None),
        b(CLAIMS, &[key('E')], Action::EvidenceList, "the claim's evidence: add, edit, remove URLs", Some("E evidence")),
        b(CLAIMS, &[key('u')], Action::Undo, "undo your last change, while its claim still holds it", Some("u undo")),
        b(CLAIMS, &[ctrl('r')], Action::Redo, "redo the change you last undid", None),
        b(CLAIMS, &[key('y')], Action::Copy, "copy the claim and a citation (OSC 52)", None),
    ]},
    Section { title: "Review queue", bindings: &[
        b(CLAIMS, &[key(']')], Action::NextUnreviewed, "next claim without a verdict", Some("] next to do")),
        b(CLAIMS, &[key('[')], Action::PrevUnreviewed, "previous claim without a verdict", None),
        b(CLAIMS, &[key('A')], Action::ToggleAdvance, "after a mark, go on to the next claim to do (on/off)", None),
        b(MAIN, &[key('v')], Action::Select, "select (again: unselect); a digit marks all selected", None),
        b(MAIN, &[key('o')], Action::Sort, "order by: file, id, status, source, last change", None),
        b(MAIN, &[key('m')], Action::ChangedByMe, "only the claims you changed (again: all)", None),
    ]},
    Section { title: "Triage of imported candidates", bindings: &[
        b(MAIN, &[key('C')], Action::Candidates, "only candidates from import (again: all)", None),
        b(CLAIMS, &[key('Y')], Action::Accept, "accept the candidate: a claim to review", None),
        b(CLAIMS, &[key('X')], Action::Reject, "reject it (logged in the file under rejected:)", None),
        b(CLAIMS, &[key('>')], Action::Widen, "widen its text to the sentence, or the next", None),
        b(CLAIMS, &[key('<')], Action::Narrow, "narrow its text: a sentence less, or to a comma", None),
        b(CLAIMS, &[key('{')], Action::TrimFirstWord, "drop the first word of its text", None),
        b(CLAIMS, &[key('}')], Action::TrimLastWord, "drop the last word of its text", None),
        b(CLAIMS, &[key('L')], Action::Link, "link to a claim it is the same as (seen before first)", None),
        b(CLAIMS, &[key('=')], Action::JumpLinked, "go to the claim it is the same as; again: back", None),
        b(CLAIMS, &[key('R')], Action::Reattribute, "who said it (/ and a new name adds a source)", None),
    ]},
    Section { title: "Stats (S)", bindings: &[
        b(&[Stats], &[key('j'), code(K::Down)], Action::Down, "next source", None),
        b(&[Stats], &[key('k'), code(K::Up)], Action::Up, "previous source", None),
        b(&[Stats], &[key('h'), code(K::Left)], Action::Left, "previous column", None),
        b(&[Stats], &[key('l'), code(K::Right)], Action::Right, "next column", None),
        b(&[Stats], &[key('g'), code(K::Home)], Action::Top, "first source", None),
        b(&[Stats], &[key('G'), code(K::End)], Action::Bottom, "all sources", None),
        b(&[Stats], &[code(K::Enter)], Action::Open, "the list, filtered to the cell's source and status", Some("Enter filter")),
        b(&[Stats], &[key('S')], Action::Back, "back to the list", Some("Esc back")),
    ]},
    Section { title: "Pickers (s, f, Space)", bindings: &[
        b(&[Picker], &[key('j'), code(K::Down)], Action::Down, "next entry", None),
        b(&[Picker], &[key('k'), code(K::Up)], Action::Up, "previous entry", None),
        b(&[Picker], &[key('g'), code(K::Home)], Action::Top, "first entry", None),
        b(&[Picker], &[key('G'), code(K::End)], Action::Bottom, "last entry", None),
        b(&[Picker], &[code(K::PageDown)], Action::PageDown, "a page down", None),
        b(&[Picker], &[code(K::PageUp)], Action::PageUp, "a page up", None),
        b(&[Picker], &[key('/')], Action::SearchStart, "filter the entries as you type", Some("/ filter")),
        b(&[Picker], &[Pattern::Digit], Action::Digit(0), "set (or in the filter, toggle) the status on it", None),
        b(&[Picker], &[key(' ')], Action::Toggle, "toggle the entry (filters)", Some("Space toggle")),
        b(&[Picker], &[code(K::Enter)], Action::Confirm, "apply (nothing toggled: the highlighted entry)", Some("Enter apply")),
        b(&[Picker], &[code(K::Esc), key('q')], Action::Back, "close without applying", Some("Esc cancel")),
        b(&[PickerFilter], &[code(K::Enter), code(K::Down)], Action::Confirm, "keep the filter, back to choosing", Some("Enter keep")),
        b(&[PickerFilter], &[code(K::Esc)], Action::Back, "clear the filter", Some("Esc clear")),
        b(&[PickerFilter], &[code(K::Backspace)], Action::Backspace, "delete the last character", None),
        b(&[PickerFilter], &[ctrl('u')], Action::ClearInput, "delete everything typed", None),
    ]},
    Section { title: "Search and note prompts", bindings: &[
        b(&[Search], &[code(K::Enter)], Action::Confirm, "keep the search", Some("Enter keep")),
        b(&[Search], &[code(K::Esc)], Action::Back, "clear the search", Some("Esc clear")),
        b(&[Search], &[code(K::Backspace)], Action::Backspace, "delete the last character", None),
        b(&[Search], &[ctrl('u')], Action::ClearInput, "delete everything typed", None),
        b(&[Note], &[code(K::Enter)], Action::Confirm, "save the note", Some("Enter save")),
        b(&[Note], &[alt_enter(), ctrl('j')], Action::Newline, "a line break", Some("Alt-Enter/Ctrl-j new line")),
        b(&[Note], &[code(K::Esc)], Action::Back, "cancel (asks first if you changed it)", Some("Esc cancel")),
        b(&[Note], &[ctrl('c')], Action::Explain("Ctrl-c does not leave a note you are writing: Enter saves, Esc cancels"), "does not quit: your draft is kept", None),
    ]},
    Section { title: "When someone saved a note while you wrote yours", bindings: &[
        b(&[NoteConflict], &[key('t')], Action::KeepTheirs, "keep their note, drop yours", Some("t theirs")),
        b(&[NoteConflict], &[key('y')], Action::KeepMine, "keep your note, replacing theirs", Some("y yours")),
        b(&[NoteConflict], &[key('m')], Action::Merge, "merge: theirs, then what only yours adds, to edit", Some("m merge")),
        b(&[NoteConflict], &[code(K::Esc)], Action::Back, "back to editing yours", Some("Esc edit")),
    ]},
    Section { title: "Evidence (E)", bindings: &[
        b(&[Evidence], &[key('j'), code(K::Down)], Action::Down, "next URL", None),
        b(&[Evidence], &[key('k'), code(K::Up)], Action::Up, "previous URL", None),
        b(&[Evidence], &[key('a')], Action::Add, "add a URL (type or paste it)", Some("a add")),
        b(&[Evidence], &[key('e'), code(K::Enter)], Action::Edit, "edit the URL", Some("e edit")),
        b(&[Evidence], &[key('d'), code(K::Delete)], Action::Remove, "remove the URL (u undoes)", Some("d remove")),
        b(&[Evidence], &[code(K::Esc), key('q')], Action::Back, "close", Some("Esc close")),
        b(&[EvidenceInput], &[code(K::Enter)], Action::Confirm, "save the URL", Some("Enter save")),
        b(&[EvidenceInput], &[code(K::Esc)], Action::Back, "cancel", Some("Esc cancel")),
        b(&[EvidenceInput], &[code(K::Backspace)], Action::Backspace, "delete the last character", None),
        b(&[EvidenceInput], &[ctrl('u')], Action::ClearInput, "delete everything typed", None),
    ]},
    Section { title: "Help", bindings: &[
        b(&[Help], &[code(K::Esc), key('q'), key('?')], Action::Back, "close the help", Some("Esc close")),
    ]},
];

/// Every binding, in table order.
pub fn bindings() -> impl Iterator<Item = &'static Binding> {
    KEYMAP.iter().flat_map(|s| s.bindings.iter())
}

fn matches(p: Pattern, k: &Key) -> bool {
    match p {
        Pattern::Is(want) => want == *k,
        Pattern::Digit => !k.ctrl && !k.alt && matches!(k.code, KeyCode::Char('0'..='9')),
    }
}

/// The action `key` stands for in `context`, if any. In a prompt, printable
/// characters are text.
pub fn action_for(context: Context, key: &Key) -> Option<Action> {
    let bound = bindings()
        .filter(|b| b.contexts.contains(&context))
        .find(|b| b.keys.iter().any(|p| matches(*p, key)))
        .map(|b| match (&b.action, key.code) {
            (Action::Digit(_), KeyCode::Char(c)) => Action::Digit(c as u8 - b'0'),
            (a, _) => a.clone(),
        });
    if bound.is_some() {
        return bound;
    }
    match (context, key.code) {
        // The note editor takes every other key: moves, deletions, text.
        (Context::Note, _) => Some(Action::EditorKey(*key)),
        (Context::Search | Context::EvidenceInput | Context::PickerFilter, KeyCode::Char(c))
            if !key.ctrl && !key.alt =>
        {
            Some(Action::Input(c))
        }
        _ => None,
    }
}

/// The key typed right after Esc, when `key` is an Alt-letter that means
/// nothing in `context`: terminals send Esc and a key typed quickly after
/// it (or sent in one burst, as over a slow link or tmux) as Alt+key.
pub fn after_esc(context: Context, key: &Key) -> Option<Key> {
    match key.code {
        KeyCode::Char(c) if key.alt && !key.ctrl && action_for(context, key).is_none() => {
            Some(Key::char(c))
        }
        _ => None,
    }
}

/// How a key reads in help: `j`, `Ctrl-d`, `PgDn`.
pub fn key_label(key: &Key) -> String {
    let name = match key.code {
        KeyCode::Char(' ') => "Space".into(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Up => "Up".into(),
        KeyCode::Down => "Down".into(),
        KeyCode::Left => "Left".into(),
        KeyCode::Right => "Right".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::F(n) => format!("F{n}"),
    };
    match (key.ctrl, key.alt) {
        (true, _) => format!("Ctrl-{name}"),
        (_, true) => format!("Alt-{name}"),
        _ => name,
    }
}

/// The digits the scale assigns, as help and hints write them: `1-6`, `1-3,7`.
pub fn digit_label(scale: &Scale) -> String {
    let mut digits: Vec<u8> = scale.statuses.iter().filter_map(|d| d.digit).collect();
    digits.sort_unstable();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < digits.len() {
        let start = digits[i];
        while i + 1 < digits.len() && digits[i + 1] == digits[i] + 1 {
            i += 1;
        }
        parts.push(if digits[i] == start {
            start.to_string()
        } else {
            format!("{start}-{}", digits[i])
        });
        i += 1;
    }
    parts.join(",")
}

pub fn pattern_label(p: &Pattern, scale: &Scale) -> String {
    match p {
        Pattern::Is(k) => key_label(k),
        Pattern::Digit => digit_label(scale),
    }
}

/// The first key bound to `action` in `context`, as help writes it: for
/// titles that name their keys, so a title never names a key that does
/// something else.
pub fn key_for(context: Context, action: &Action) -> Option<String> {
    let b = bindings().find(|b| b.contexts.contains(&context) && &b.action == action)?;
    b.keys.first().map(|p| match p {
        Pattern::Is(k) => key_label(k),
        Pattern::Digit => "0-9".into(),
    })
}

/// Where a context is, as a message says it: "in the article".
pub fn context_name(c: Context) -> &'static str {
    match c {
        Context::List => "in the list",
        Context::Detail => "in the detail pane",
        Context::Claim => "in the claim view",
        Context::Article => "in the article",
        Context::Stats => "in the stats view",
        Context::Picker | Context::PickerFilter => "in the picker",
        Context::Search => "in the search",
        Context::Note => "in the note editor",
        Context::NoteConflict => "while choosing a note",
        Context::Evidence | Context::EvidenceInput => "in the evidence list",
        Context::Help => "in the help",
    }
}

/// Status-bar hints for a context: help and quit first (a newcomer needs
/// them most), then the rest in table order; only keys that work there.
pub fn hints(context: Context, scale: &Scale) -> Vec<String> {
    let mut bound: Vec<&Binding> = bindings()
        .filter(|b| b.contexts.contains(&context) && b.hint.is_some())
        .collect();
    bound.sort_by_key(|b| !matches!(b.action, Action::Help | Action::Quit));
    bound
        .iter()
        .filter_map(|b| {
            let hint = b.hint?;
            Some(match b.action {
                Action::Digit(_) => format!("{} {hint}", digit_label(scale)),
                _ => hint.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vim_keys_and_arrows_move() {
        let down = Some(Action::Down);
        assert_eq!(action_for(Context::List, &Key::char('j')), down);
        assert_eq!(action_for(Context::List, &Key::plain(KeyCode::Down)), down);
        assert_eq!(
            action_for(Context::List, &Key::ctrl('d')),
            Some(Action::HalfPageDown)
        );
    }

    #[test]
    fn prompts_take_letters_as_text() {
        for ctx in [Context::Search, Context::EvidenceInput] {
            assert_eq!(action_for(ctx, &Key::char('q')), Some(Action::Input('q')));
            assert_eq!(action_for(ctx, &Key::char('ق')), Some(Action::Input('ق')));
            assert_eq!(
                action_for(ctx, &Key::plain(KeyCode::Esc)),
                Some(Action::Back)
            );
        }
    }

    #[test]
    fn the_note_editor_gets_every_key_but_save_newline_cancel_and_ctrl_c() {
        let n = Context::Note;
        assert_eq!(
            action_for(n, &Key::char('q')),
            Some(Action::EditorKey(Key::char('q')))
        );
        assert_eq!(
            action_for(n, &Key::ctrl('w')),
            Some(Action::EditorKey(Key::ctrl('w')))
        );
        assert_eq!(
            action_for(n, &Key::plain(KeyCode::Enter)),
            Some(Action::Confirm)
        );
        assert_eq!(action_for(n, &Key::ctrl('j')), Some(Action::Newline));
        let alt_enter = Key {
            code: KeyCode::Enter,
            ctrl: false,
            alt: true,
        };
        assert_eq!(action_for(n, &alt_enter), Some(Action::Newline));
        assert!(matches!(
            action_for(n, &Key::ctrl('c')),
            Some(Action::Explain(_))
        ));
    }

    #[test]
    fn ctrl_c_is_in_the_table_everywhere() {
        for ctx in [
            Context::List,
            Context::Stats,
            Context::Picker,
            Context::Search,
            Context::Help,
        ] {
            assert_eq!(
                action_for(ctx, &Key::ctrl('c')),
                Some(Action::Quit),
                "{ctx:?}"
            );
        }
    }

    #[test]
    fn stats_has_only_keys_that_work_there() {
        assert_eq!(action_for(Context::Stats, &Key::char('/')), None);
        assert_eq!(action_for(Context::Stats, &Key::char('3')), None);
        let hints = hints(Context::Stats, &Scale::default());
        assert!(
            !hints
                .iter()
                .any(|h| h.contains("search") || h.contains("mark"))
        );
        assert!(
            hints.iter().any(|h| h.contains("Enter filter")),
            "{hints:?}"
        );
    }

    #[test]
    fn the_digit_hint_names_the_scales_digits() {
        assert_eq!(digit_label(&Scale::default()), "1-6");
        let h = hints(Context::List, &Scale::default());
        assert!(h.contains(&"1-6 mark".to_string()), "{h:?}");
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        let all: Vec<&Binding> = bindings().collect();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                for ctx in a.contexts.iter().filter(|c| b.contexts.contains(c)) {
                    for k in a.keys {
                        assert!(!b.keys.contains(k), "{k:?} bound twice in {ctx:?}");
                    }
                }
            }
        }
    }
}
