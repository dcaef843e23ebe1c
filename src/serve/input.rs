//! Turning the bytes an SSH client sends into the desk's keys and pastes.
//!
//! A served session has no terminal of its own for crossterm to read: each
//! session parses its channel's bytes here, straight into the app's `Key`.
//! A lone ESC is ambiguous (the Esc key, or the start of a sequence still in
//! flight), so it waits for more bytes and becomes Esc only when `flush` is
//! called after a short quiet time. Pasted text (bracketed paste) is one
//! event, never keys.

use crate::app::drive::Event;
use crate::app::{Key, KeyCode};

#[derive(Debug, Default)]
pub struct InputParser {
    pending: Vec<u8>,
}

const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";
/// A paste longer than this is cut: a note does not need megabytes.
const MAX_PASTE: usize = 1 << 20;

fn key(code: KeyCode) -> Event {
    Event::Key(Key::plain(code))
}

/// What the front of a buffer holds.
enum Step {
    Event(Option<Event>, usize),
    /// More bytes are needed to tell.
    Incomplete,
}

fn csi(params: &[u8], fin: u8) -> Option<Event> {
    let code = match (params, fin) {
        (_, b'A') => KeyCode::Up,
        (_, b'B') => KeyCode::Down,
        (_, b'C') => KeyCode::Right,
        (_, b'D') => KeyCode::Left,
        (_, b'H') => KeyCode::Home,
        (_, b'F') => KeyCode::End,
        (_, b'Z') => KeyCode::BackTab,
        (b"1" | b"7", b'~') => KeyCode::Home,
        (b"4" | b"8", b'~') => KeyCode::End,
        (b"5", b'~') => KeyCode::PageUp,
        (b"6", b'~') => KeyCode::PageDown,
        (b"3", b'~') => KeyCode::Delete,
        _ => return None,
    };
    Some(key(code))
}

fn step(b: &[u8]) -> Step {
    match b[0] {
        0x1b => match b.get(1) {
            None => Step::Incomplete,
            Some(b'[') if b.starts_with(PASTE_START) => paste(b),
            Some(b'[') if PASTE_START.starts_with(b) => Step::Incomplete,
            Some(b'[') => {
                // Parameters, then a final byte in 0x40..=0x7e.
                match b[2..].iter().position(|c| (0x40..=0x7e).contains(c)) {
                    Some(i) => Step::Event(csi(&b[2..2 + i], b[2 + i]), 3 + i),
                    None if b.len() > 16 => Step::Event(None, b.len()), // garbage: drop it
                    None => Step::Incomplete,
                }
            }
            Some(b'O') => match b.get(2) {
                None => Step::Incomplete,
                Some(&f) => Step::Event(csi(b"", f), 3),
            },
            // ESC then a key: Alt+key from most terminals; we read it as Esc, then the key.
            Some(_) => Step::Event(Some(key(KeyCode::Esc)), 1),
        },
        b'\r' | b'\n' => Step::Event(Some(key(KeyCode::Enter)), 1),
        b'\t' => Step::Event(Some(key(KeyCode::Tab)), 1),
        0x7f | 0x08 => Step::Event(Some(key(KeyCode::Backspace)), 1),
        c @ 0x01..=0x1a => {
            let letter = (b'a' + c - 1) as char;
            Step::Event(Some(Event::Key(Key::ctrl(letter))), 1)
        }
        c if c < 0x20 => Step::Event(None, 1),
        _ => {
            let len = match b[0] {
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf7 => 4,
                _ => 1,
            };
            if b.len() < len {
                return Step::Incomplete;
            }
            match std::str::from_utf8(&b[..len])
                .ok()
                .and_then(|s| s.chars().next())
            {
                Some(c) => Step::Event(Some(Event::Key(Key::char(c))), len),
                None => Step::Event(None, 1),
            }
        }
    }
}

/// A bracketed paste at the front of `b`: its text, once the end marker came.
fn paste(b: &[u8]) -> Step {
    let body = &b[PASTE_START.len()..];
    match body.windows(PASTE_END.len()).position(|w| w == PASTE_END) {
        Some(end) => {
            let mut text = String::from_utf8_lossy(&body[..end]).into_owned();
            if text.len() > MAX_PASTE {
                let mut cut = MAX_PASTE;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                text.truncate(cut);
            }
            Step::Event(
                Some(Event::Paste(text)),
                PASTE_START.len() + end + PASTE_END.len(),
            )
        }
        // No end marker within bounds: the client is not pasting; drop it.
        None if body.len() > MAX_PASTE + PASTE_END.len() => Step::Event(None, b.len()),
        None => Step::Incomplete,
    }
}

impl InputParser {
    /// The keys in `bytes` (with what was pending before); an incomplete
    /// sequence at the end waits for the next call.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Event> {
        self.pending.extend_from_slice(bytes);
        let mut out = Vec::new();
        let mut at = 0;
        while at < self.pending.len() {
            match step(&self.pending[at..]) {
                Step::Event(k, used) => {
                    out.extend(k);
                    at += used;
                }
                Step::Incomplete => break,
            }
        }
        self.pending.drain(..at);
        out
    }

    /// Whether bytes are waiting (then call `flush` after a short quiet time).
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Nothing more came: a waiting ESC was the Esc key.
    pub fn flush(&mut self) -> Vec<Event> {
        let mut out = Vec::new();
        if self.pending.first() == Some(&0x1b) {
            out.push(key(KeyCode::Esc));
            self.pending.remove(0);
            out.extend(self.feed(&[]));
        }
        self.pending.clear();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(events: Vec<Event>) -> Vec<KeyCode> {
        events
            .into_iter()
            .filter_map(|e| match e {
                Event::Key(k) => Some(k.code),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn letters_arrows_and_paging() {
        let mut p = InputParser::default();
        let k = p.feed(b"j\x1b[B\x1b[A\x1b[5~\x1b[6~\x1bOH\r\t\x7f");
        assert_eq!(
            codes(k),
            [
                KeyCode::Char('j'),
                KeyCode::Down,
                KeyCode::Up,
                KeyCode::PageUp,
                KeyCode::PageDown,
                KeyCode::Home,
                KeyCode::Enter,
                KeyCode::Tab,
                KeyCode::Backspace
            ]
        );
    }

    #[test]
    fn control_keys_and_utf8_split_across_packets() {
        let mut p = InputParser::default();
        assert_eq!(p.feed(b"\x04"), [Event::Key(Key::ctrl('d'))]);
        let qaf = "ق".as_bytes();
        assert!(p.feed(&qaf[..1]).is_empty());
        assert_eq!(codes(p.feed(&qaf[1..])), [KeyCode::Char('ق')]);
    }

    #[test]
    fn a_lone_escape_waits_then_is_esc() {
        let mut p = InputParser::default();
        assert!(p.feed(b"\x1b").is_empty());
        assert!(p.has_pending());
        // The rest of an arrow key arrives: it was not Esc after all.
        assert_eq!(codes(p.feed(b"[B")), [KeyCode::Down]);
        assert!(p.feed(b"\x1b").is_empty());
        assert_eq!(codes(p.flush()), [KeyCode::Esc]);
        assert!(!p.has_pending());
    }

    #[test]
    fn a_bracketed_paste_is_text_not_keys_even_split_across_packets() {
        let mut p = InputParser::default();
        assert!(p.feed(b"\x1b[20").is_empty());
        assert!(p.feed(b"0~https://x.org/a q\x1b[2").is_empty());
        let events = p.feed(b"01~j");
        assert_eq!(
            events,
            [
                Event::Paste("https://x.org/a q".into()),
                Event::Key(Key::char('j'))
            ]
        );
    }
}
