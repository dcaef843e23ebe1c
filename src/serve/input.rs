//! Turning the bytes an SSH client sends into key events.
//!
//! crossterm's parser reads the process's own terminal, and a served session
//! has none: each session parses its channel's bytes here. A lone ESC is
//! ambiguous (the Esc key, or the start of a sequence still in flight), so it
//! waits for more bytes and becomes Esc only when `flush` is called after a
//! short quiet time.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Default)]
pub struct InputParser {
    pending: Vec<u8>,
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// What the front of a buffer holds.
enum Step {
    Key(Option<KeyEvent>, usize),
    /// More bytes are needed to tell.
    Incomplete,
}

fn csi(params: &[u8], fin: u8) -> Option<KeyEvent> {
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
            Some(b'[') => {
                // Parameters, then a final byte in 0x40..=0x7e.
                match b[2..].iter().position(|c| (0x40..=0x7e).contains(c)) {
                    Some(i) => Step::Key(csi(&b[2..2 + i], b[2 + i]), 3 + i),
                    None if b.len() > 16 => Step::Key(None, b.len()), // garbage: drop it
                    None => Step::Incomplete,
                }
            }
            Some(b'O') => match b.get(2) {
                None => Step::Incomplete,
                Some(&f) => Step::Key(csi(b"", f), 3),
            },
            // ESC then a key: Alt+key from most terminals; we read it as Esc, then the key.
            Some(_) => Step::Key(Some(key(KeyCode::Esc)), 1),
        },
        b'\r' | b'\n' => Step::Key(Some(key(KeyCode::Enter)), 1),
        b'\t' => Step::Key(Some(key(KeyCode::Tab)), 1),
        0x7f | 0x08 => Step::Key(Some(key(KeyCode::Backspace)), 1),
        c @ 0x01..=0x1a => {
            let letter = (b'a' + c - 1) as char;
            Step::Key(
                Some(KeyEvent::new(KeyCode::Char(letter), KeyModifiers::CONTROL)),
                1,
            )
        }
        c if c < 0x20 => Step::Key(None, 1),
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
                Some(c) => Step::Key(Some(key(KeyCode::Char(c))), len),
                None => Step::Key(None, 1),
            }
        }
    }
}

impl InputParser {
    /// The keys in `bytes` (with what was pending before); an incomplete
    /// sequence at the end waits for the next call.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<KeyEvent> {
        self.pending.extend_from_slice(bytes);
        let mut out = Vec::new();
        let mut at = 0;
        while at < self.pending.len() {
            match step(&self.pending[at..]) {
                Step::Key(k, used) => {
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
    pub fn flush(&mut self) -> Vec<KeyEvent> {
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

    fn codes(keys: Vec<KeyEvent>) -> Vec<KeyCode> {
        keys.into_iter().map(|k| k.code).collect()
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
        let k = p.feed(b"\x04");
        assert_eq!(
            k,
            [KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)]
        );
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
}
