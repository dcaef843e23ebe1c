//! Turning the bytes a terminal sends into the desk's keys, pastes and
//! replies.
//!
//! A served session has no terminal of its own for crossterm to read: each
//! session parses its channel's bytes here, straight into the app's `Key`.
//! The local terminal reads the terminal's answer to "who are you" here too,
//! before crossterm (which would take the answer for keys) reads anything.
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

/// How long a lone ESC waits for the rest of a key sequence before it is
/// the Esc key (call `flush` after this much quiet).
pub const ESC_WAIT: std::time::Duration = std::time::Duration::from_millis(40);

const PASTE_START: &[u8] = b"\x1b[200~";
/// A device control string (the XTVERSION reply is one), ended by ST or BEL.
const DCS_START: &[u8] = b"\x1bP";
/// Longer control strings are not replies we asked for: dropped.
const MAX_DCS: usize = 256;
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
    // The primary device attributes (DA1): every terminal answers, so it
    // marks the end of the answers to what we asked.
    if params.first() == Some(&b'?') && fin == b'c' {
        return Some(Event::TerminalAttributes);
    }
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
            Some(b'P') => control_string(b),
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
            Some(0x1b) => Step::Event(Some(key(KeyCode::Esc)), 1),
            // ESC then a key: Alt+key, as terminals send it. Where Alt+key
            // means nothing, the drive loop reads it as Esc then the key
            // (which is also what Esc typed quickly before a key looks like).
            Some(_) => match step(&b[1..]) {
                Step::Event(Some(Event::Key(k)), used) => {
                    Step::Event(Some(Event::Key(Key { alt: true, ..k })), used + 1)
                }
                Step::Incomplete => Step::Incomplete,
                Step::Event(_, _) => Step::Event(Some(key(KeyCode::Esc)), 1),
            },
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

/// A device control string at the front of `b`: the XTVERSION reply
/// (`DCS > | name ST`) says which terminal this is; others are dropped.
fn control_string(b: &[u8]) -> Step {
    let body = &b[DCS_START.len()..];
    let end = body
        .iter()
        .enumerate()
        .find(|&(i, &c)| c == 0x07 || (c == 0x1b && body.get(i + 1) == Some(&b'\\')));
    match end {
        Some((i, &c)) => {
            let used = DCS_START.len() + i + if c == 0x07 { 1 } else { 2 };
            let reply = body[..i].strip_prefix(b">|").map(|name| {
                let name: String = String::from_utf8_lossy(name)
                    .chars()
                    .filter(|c| !c.is_control())
                    .collect();
                Event::TerminalVersion(name)
            });
            Step::Event(reply, used)
        }
        None if body.len() > MAX_DCS => Step::Event(None, b.len()),
        // An ESC inside not followed by `\`: not a control string after all.
        None if body
            .iter()
            .enumerate()
            .any(|(i, &c)| c == 0x1b && i + 1 < body.len()) =>
        {
            Step::Event(Some(key(KeyCode::Esc)), 1)
        }
        None => Step::Incomplete,
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

    #[test]
    fn the_terminals_answers_are_replies_not_keys() {
        let mut p = InputParser::default();
        // XTVERSION then DA1, as xterm sends them, split across packets.
        assert!(p.feed(b"\x1bP>|XTerm(3").is_empty());
        assert_eq!(
            p.feed(b"79)\x1b\\\x1b[?64;1;2;6;9;15;18;21;22c"),
            [
                Event::TerminalVersion("XTerm(379)".into()),
                Event::TerminalAttributes
            ]
        );
        // BEL ends a control string too; keys around the answer stay keys.
        assert_eq!(
            p.feed(b"j\x1bP>|kitty(0.26.5)\x07k"),
            [
                Event::Key(Key::char('j')),
                Event::TerminalVersion("kitty(0.26.5)".into()),
                Event::Key(Key::char('k'))
            ]
        );
        // A control string we did not ask for is dropped, not typed.
        assert_eq!(codes(p.feed(b"\x1bP1$r0m\x1b\\q")), [KeyCode::Char('q')]);
        // Nothing ever ends it: dropped once it is longer than any answer.
        let mut endless = b"\x1bP>|".to_vec();
        endless.extend(std::iter::repeat_n(b'x', 300));
        assert!(p.feed(&endless).is_empty());
        assert!(!p.has_pending());
        assert_eq!(codes(p.feed(b"q")), [KeyCode::Char('q')]);
    }

    #[test]
    fn esc_before_a_key_in_one_packet_is_alt_and_the_key() {
        let mut p = InputParser::default();
        let alt_enter = Key {
            alt: true,
            ..Key::plain(KeyCode::Enter)
        };
        assert_eq!(p.feed(b"\x1b\r"), [Event::Key(alt_enter)]);
        assert_eq!(
            p.feed(b"\x1bs"),
            [Event::Key(Key {
                alt: true,
                ..Key::char('s')
            })]
        );
        assert_eq!(codes(p.feed(b"\x1b\x1b")), [KeyCode::Esc]);
    }

    #[test]
    fn esc_then_shift_p_is_still_two_keys() {
        let mut p = InputParser::default();
        assert!(p.feed(b"\x1bP").is_empty());
        assert_eq!(codes(p.flush()), [KeyCode::Esc, KeyCode::Char('P')]);
        // Esc, P, and an arrow typed quickly after: not a control string.
        assert_eq!(
            codes(p.feed(b"\x1bP\x1b[A")),
            [KeyCode::Esc, KeyCode::Char('P'), KeyCode::Up]
        );
    }
}
