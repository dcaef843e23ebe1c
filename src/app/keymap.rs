//! The desk's keys, as one table: it dispatches keys and generates the `?`
//! help and the status-bar hints, so the three cannot drift apart.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Action;

/// Where a key applies: the main views, a picker, or a text prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// The claims list, the detail pane, the full claim and the article view.
    Desk,
    /// The source, status-filter and status pickers.
    Picker,
    /// The search and note prompts; printable keys type text.
    Prompt,
    /// The help overlay.
    Help,
}

/// A key as the table writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Code(KeyCode),
    /// Any of 0-9: the action gets the digit (statuses come from the desk's scale).
    Digit,
}

pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub action: Action,
    pub help: &'static str,
    /// Shown in the status bar when there is room.
    pub hint: Option<&'static str>,
}

use Key::{Char, Code, Ctrl, Digit};

const fn b(
    context: Context,
    keys: &'static [Key],
    action: Action,
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        context,
        keys,
        action,
        help,
        hint,
    }
}

use Context::{Desk, Help, Picker, Prompt};

#[rustfmt::skip]
pub const KEYMAP: &[Binding] = &[
    b(Desk, &[Char('j'), Code(KeyCode::Down)], Action::Down, "next claim (or scroll down)", None),
    b(Desk, &[Char('k'), Code(KeyCode::Up)], Action::Up, "previous claim (or scroll up)", None),
    b(Desk, &[Code(KeyCode::PageDown)], Action::PageDown, "one page down", None),
    b(Desk, &[Code(KeyCode::PageUp)], Action::PageUp, "one page up", None),
    b(Desk, &[Ctrl('d')], Action::HalfPageDown, "half a page down", None),
    b(Desk, &[Ctrl('u')], Action::HalfPageUp, "half a page up", None),
    b(Desk, &[Char('g'), Code(KeyCode::Home)], Action::Top, "first claim", None),
    b(Desk, &[Char('G'), Code(KeyCode::End)], Action::Bottom, "last claim", None),
    b(Desk, &[Code(KeyCode::Tab)], Action::FocusNext, "move focus between list and detail", None),
    b(Desk, &[Code(KeyCode::Enter)], Action::Open, "open the claim full-screen (stats: filter to the cell)", None),
    b(Desk, &[Char('a')], Action::ArticleView, "read the claim in the article", Some("a article")),
    b(Desk, &[Char('S')], Action::StatsView, "stats: source x status matrix, reviewer activity", None),
    b(Desk, &[Char('h'), Code(KeyCode::Left)], Action::Left, "stats: previous column", None),
    b(Desk, &[Char('l'), Code(KeyCode::Right)], Action::Right, "stats: next column", None),
    b(Desk, &[Char('/')], Action::SearchStart, "search (text, translation, source, note)", Some("/ search")),
    b(Desk, &[Char('s')], Action::SourcePicker, "filter by source", Some("s source")),
    b(Desk, &[Char('f')], Action::StatusFilterPicker, "filter by status", Some("f status")),
    b(Desk, &[Char('c')], Action::ClearFilters, "clear all filters and search", None),
    b(Desk, &[Digit], Action::Digit(0), "mark with the status on that digit:", Some("0-9 mark")),
    b(Desk, &[Char(' ')], Action::StatusPicker, "choose a status from a list", None),
    b(Desk, &[Char('n')], Action::EditNote, "write or edit the note inline", Some("n note")),
    b(Desk, &[Char('e')], Action::EditNoteExternal, "edit the note in $EDITOR", None),
    b(Desk, &[Char('u')], Action::Undo, "undo your last change (kept in history)", Some("u undo")),
    b(Desk, &[Char('t')], Action::ToggleTranslation, "table: original text / translation", None),
    b(Desk, &[Char('y')], Action::Copy, "copy the claim and a citation (OSC 52)", None),
    b(Desk, &[Char('?')], Action::Help, "this help", Some("? help")),
    b(Desk, &[Code(KeyCode::Esc)], Action::Back, "back out (close view, clear search)", None),
    b(Desk, &[Char('q')], Action::Quit, "quit", Some("q quit")),
    b(Picker, &[Char('j'), Code(KeyCode::Down)], Action::Down, "next entry", None),
    b(Picker, &[Char('k'), Code(KeyCode::Up)], Action::Up, "previous entry", None),
    b(Picker, &[Char(' ')], Action::Toggle, "toggle the entry", Some("Space toggle")),
    b(Picker, &[Code(KeyCode::Enter)], Action::Confirm, "apply (nothing toggled: the highlighted entry)", Some("Enter apply")),
    b(Picker, &[Code(KeyCode::Esc), Char('q')], Action::Back, "close without applying", Some("Esc cancel")),
    b(Prompt, &[Code(KeyCode::Enter)], Action::Confirm, "keep (search) or save (note)", Some("Enter keep")),
    b(Prompt, &[Code(KeyCode::Esc)], Action::Back, "cancel (search: clear it)", Some("Esc cancel")),
    b(Prompt, &[Code(KeyCode::Backspace)], Action::Backspace, "delete the last character", None),
    b(Prompt, &[Ctrl('u')], Action::ClearInput, "delete everything typed", None),
    b(Help, &[Code(KeyCode::Esc), Char('q'), Char('?')], Action::Back, "close the help", Some("Esc close")),
    b(Help, &[Char('j'), Code(KeyCode::Down)], Action::Down, "scroll down", None),
    b(Help, &[Char('k'), Code(KeyCode::Up)], Action::Up, "scroll up", None),
];

fn matches(key: Key, ev: &KeyEvent) -> bool {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    match key {
        Key::Char(c) => !ctrl && ev.code == KeyCode::Char(c),
        Key::Ctrl(c) => ctrl && ev.code == KeyCode::Char(c),
        Key::Code(code) => !ctrl && ev.code == code,
        Key::Digit => !ctrl && matches!(ev.code, KeyCode::Char('0'..='9')),
    }
}

/// The action a key stands for in `context`, if any. In a prompt, printable
/// characters are text.
pub fn action_for(context: Context, ev: &KeyEvent) -> Option<Action> {
    let ctrl_c = ev.modifiers.contains(KeyModifiers::CONTROL) && ev.code == KeyCode::Char('c');
    if ctrl_c {
        return Some(Action::Quit);
    }
    let bound = KEYMAP
        .iter()
        .filter(|b| b.context == context)
        .find(|b| b.keys.iter().any(|k| matches(*k, ev)))
        .map(|b| match (b.action, ev.code) {
            (Action::Digit(_), KeyCode::Char(c)) => Action::Digit(c as u8 - b'0'),
            (a, _) => a,
        });
    if bound.is_some() {
        return bound;
    }
    match (context, ev.code) {
        (Context::Prompt, KeyCode::Char(c)) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
            Some(Action::Input(c))
        }
        _ => None,
    }
}

/// How a key reads in help: `j`, `Ctrl-d`, `PgDn`.
pub fn key_label(key: Key) -> String {
    match key {
        Key::Char(' ') => "Space".into(),
        Key::Digit => "0-9".into(),
        Key::Char(c) => c.to_string(),
        Key::Ctrl(c) => format!("Ctrl-{c}"),
        Key::Code(code) => match code {
            KeyCode::Down => "Down".into(),
            KeyCode::Left => "Left".into(),
            KeyCode::Right => "Right".into(),
            KeyCode::Up => "Up".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Backspace => "Backspace".into(),
            other => format!("{other:?}"),
        },
    }
}

pub fn context_title(c: Context) -> &'static str {
    match c {
        Context::Desk => "Desk",
        Context::Picker => "Pickers (s, f, Space)",
        Context::Prompt => "Search and note prompts",
        Context::Help => "Help",
    }
}

/// Status-bar hints for a context: help and quit first (a newcomer needs
/// them most), then the rest in table order.
pub fn hints(context: Context) -> Vec<&'static str> {
    let mut bindings: Vec<&Binding> = KEYMAP.iter().filter(|b| b.context == context).collect();
    bindings.sort_by_key(|b| !matches!(b.action, Action::Help | Action::Quit));
    bindings.iter().filter_map(|b| b.hint).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn vim_keys_and_arrows_move() {
        assert_eq!(
            action_for(Context::Desk, &key(KeyCode::Char('j'))),
            Some(Action::Down)
        );
        assert_eq!(
            action_for(Context::Desk, &key(KeyCode::Down)),
            Some(Action::Down)
        );
        let ctrl_d = KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL);
        assert_eq!(
            action_for(Context::Desk, &ctrl_d),
            Some(Action::HalfPageDown)
        );
    }

    #[test]
    fn prompts_take_letters_as_text() {
        assert_eq!(
            action_for(Context::Prompt, &key(KeyCode::Char('q'))),
            Some(Action::Input('q'))
        );
        assert_eq!(
            action_for(Context::Prompt, &key(KeyCode::Char('ق'))),
            Some(Action::Input('ق'))
        );
        assert_eq!(
            action_for(Context::Prompt, &key(KeyCode::Esc)),
            Some(Action::Back)
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for a in KEYMAP {
            for b in KEYMAP {
                if std::ptr::eq(a, b) || a.context != b.context {
                    continue;
                }
                for k in a.keys {
                    assert!(!b.keys.contains(k), "{k:?} bound twice in {:?}", a.context);
                }
            }
        }
    }
}
