//! The desk as bytes for a terminal: each frame is ratatui's diff of the
//! screen wrapped in synchronized output, with evidence URLs made OSC 8
//! hyperlinks; and the sequences that start and end a session. The local
//! terminal and every SSH channel write what this produces, so the two
//! cannot drift apart.

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Rect, Size};

use super::Link;
use crate::app::{App, Layout};
use crate::text::{self, Bidi};

/// Ask BiDi-aware terminals not to reorder what we already reordered (the
/// terminal BiDi working group's BDSM "explicit" mode); others ignore it.
const BDSM_EXPLICIT: &str = "\x1b[8l";
const BDSM_IMPLICIT: &str = "\x1b[8h";
const ALTERNATE_SCREEN: &str = "\x1b[?1049h";
const MAIN_SCREEN: &str = "\x1b[?1049l";
const HIDE_CURSOR: &str = "\x1b[?25l";
const SHOW_CURSOR: &str = "\x1b[?25h";
/// Pasted text arrives marked, so it is text, never keys.
const BRACKETED_PASTE_ON: &str = "\x1b[?2004h";
const BRACKETED_PASTE_OFF: &str = "\x1b[?2004l";
const SYNC_BEGIN: &str = "\x1b[?2026h";
const SYNC_END: &str = "\x1b[?2026l";

/// What starts a desk session on a terminal. BDSM goes first: VTE-based
/// terminals (GNOME Terminal) honour it only when it comes before the
/// switch to the alternate screen.
pub fn start_sequence(bidi: Bidi) -> Vec<u8> {
    let mut out = String::new();
    if bidi != Bidi::Logical {
        out.push_str(BDSM_EXPLICIT);
    }
    out.push_str(ALTERNATE_SCREEN);
    out.push_str(HIDE_CURSOR);
    out.push_str(BRACKETED_PASTE_ON);
    out.into_bytes()
}

/// What ends it: everything `start_sequence` turned on, turned off, in reverse.
pub fn end_sequence(bidi: Bidi) -> Vec<u8> {
    let mut out = String::new();
    out.push_str(BRACKETED_PASTE_OFF);
    out.push_str(SHOW_CURSOR);
    out.push_str(MAIN_SCREEN);
    if bidi != Bidi::Logical {
        out.push_str(BDSM_IMPLICIT);
    }
    out.into_bytes()
}

/// OSC 52: put `text` on the clipboard of the reviewer's terminal (it
/// travels over SSH). What a file holds never reaches the clipboard raw: no
/// control characters but line breaks and tabs, so no escape sequence and
/// no fake end of a bracketed paste that could run a command where it is
/// pasted, and no invisible bidi marks.
pub fn clipboard(text: &str) -> Vec<u8> {
    let clean: String = text
        .chars()
        .filter(|&c| matches!(c, '\n' | '\t') || !text::is_unsafe(c))
        .collect();
    let mut out = Vec::new();
    let _ = crossterm::queue!(
        out,
        crossterm::clipboard::CopyToClipboard::to_clipboard_from(clean)
    );
    out
}

/// Where a frame's bytes collect until they are sent.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Sink {
    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .map(|mut b| std::mem::take(&mut *b))
            .unwrap_or_default()
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Ok(mut b) = self.0.lock() {
            b.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// crossterm's backend writing into memory, with the size we are told
/// (asking the process's own terminal would be wrong over SSH).
struct ByteBackend {
    inner: CrosstermBackend<Sink>,
    size: Size,
}

impl Backend for ByteBackend {
    type Error = io::Error;
    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(Position::ORIGIN)
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> io::Result<Size> {
        Ok(self.size)
    }
    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size,
            pixels: Size::default(),
        })
    }
    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

/// One terminal's screen, as frames of bytes.
pub struct Output {
    terminal: Terminal<ByteBackend>,
    sink: Sink,
    hyperlinks: bool,
    /// The hyperlinks the last frame drew, so unchanged ones are not resent.
    links: Vec<Link>,
}

impl Output {
    pub fn new(width: u16, height: u16, hyperlinks: bool) -> io::Result<Output> {
        let sink = Sink::default();
        let backend = ByteBackend {
            inner: CrosstermBackend::new(sink.clone()),
            size: Size::new(width, height),
        };
        Ok(Output {
            terminal: Terminal::new(backend)?,
            sink,
            hyperlinks,
            links: Vec::new(),
        })
    }

    /// The terminal is now `width` x `height`: the next frame is drawn whole.
    /// (A resize clears without asking the terminal anything, which over a
    /// slow link or with emulators that do not answer would hang.)
    pub fn resize(&mut self, width: u16, height: u16) -> io::Result<()> {
        self.terminal.backend_mut().size = Size::new(width, height);
        self.terminal.resize(Rect::new(0, 0, width, height))?;
        self.links.clear();
        Ok(())
    }

    /// Forget what the terminal shows (another program drew on it): the
    /// next frame is drawn whole.
    pub fn invalidate(&mut self) -> io::Result<()> {
        let size = self.terminal.backend().size;
        self.resize(size.width, size.height)
    }

    /// The bytes that bring the terminal from the last frame to `app` now,
    /// and what the frame laid out.
    pub fn frame(&mut self, app: &App) -> io::Result<(Vec<u8>, Layout)> {
        let mut layout = Layout::default();
        let area = self.terminal.draw(|f| layout = super::render(app, f))?.area;
        let mut bytes = SYNC_BEGIN.as_bytes().to_vec();
        bytes.extend(self.sink.take());
        if self.hyperlinks {
            let links = super::links(app, area);
            if links != self.links {
                // Rewrite the same text over the same cells, wrapped in OSC 8.
                for l in &links {
                    if let Some(url) = text::hyperlink_target(&l.url) {
                        let _ = crossterm::queue!(
                            bytes,
                            crossterm::cursor::MoveTo(l.x, l.y),
                            crossterm::style::Print(format!(
                                "\x1b]8;;{url}\x1b\\{}\x1b]8;;\x1b\\",
                                l.text
                            ))
                        );
                    }
                }
                self.links = links;
            }
        }
        bytes.extend_from_slice(SYNC_END.as_bytes());
        Ok((bytes, layout))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clipboard_gets_no_escape_and_no_paste_marker() {
        use base64::Engine as _;
        let hostile = "claim\n\x1b[201~\nrm -rf ~\r\x1b]0;x\x07\u{202e}end\tok";
        let seq = String::from_utf8(clipboard(hostile)).expect("ascii");
        let payload = seq
            .strip_prefix("\x1b]52;c;")
            .and_then(|s| s.strip_suffix("\x1b\\").or_else(|| s.strip_suffix('\x07')))
            .expect("one OSC 52 sequence");
        let sent = base64::engine::general_purpose::STANDARD
            .decode(payload)
            .expect("base64");
        let sent = String::from_utf8(sent).expect("utf-8");
        assert_eq!(sent, "claim\n[201~\nrm -rf ~]0;xend\tok");
    }

    #[test]
    fn bdsm_comes_before_the_alternate_screen_and_after_leaving_it() {
        let start = String::from_utf8(start_sequence(Bidi::Reorder)).expect("ascii");
        let bdsm = start.find(BDSM_EXPLICIT).expect("BDSM sent");
        assert!(
            bdsm < start.find(ALTERNATE_SCREEN).expect("alt screen"),
            "{start:?}"
        );
        let end = String::from_utf8(end_sequence(Bidi::Reorder)).expect("ascii");
        let back = end.find(BDSM_IMPLICIT).expect("BDSM reset");
        assert!(
            back > end.find(MAIN_SCREEN).expect("main screen"),
            "{end:?}"
        );
        let logical = String::from_utf8(start_sequence(Bidi::Logical)).expect("ascii");
        assert!(
            !logical.contains(BDSM_EXPLICIT),
            "terminals doing bidi are left alone"
        );
    }
}
