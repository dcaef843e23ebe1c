//! The desk as bytes for a terminal: each frame is ratatui's diff of the
//! screen wrapped in synchronized output, with evidence URLs made OSC 8
//! hyperlinks; and the sequences that start and end a session. The local
//! terminal and every SSH channel write what this produces, so the two
//! cannot drift apart.

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::{Cell, CellDiffOption};
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
    if !bidi.is_logical() {
        out.push_str(BDSM_EXPLICIT);
    }
    out.push_str(ALTERNATE_SCREEN);
    out.push_str(HIDE_CURSOR);
    out.push_str(BRACKETED_PASTE_ON);
    out.into_bytes()
}

/// What ends it: everything `start_sequence` turned on, turned off, in
/// reverse, and the terminal's own bidi back on (its default, whichever
/// mode the session ended in).
pub fn end_sequence() -> Vec<u8> {
    let mut out = String::new();
    out.push_str(BRACKETED_PASTE_OFF);
    out.push_str(SHOW_CURSOR);
    out.push_str(MAIN_SCREEN);
    out.push_str(BDSM_IMPLICIT);
    out.into_bytes()
}

/// Ask the terminal who it is (XTVERSION), then for its device attributes
/// (DA1), which every terminal answers: once that answer is in, no
/// XTVERSION reply is still coming. Sent after the first frame, so the
/// answer never delays it; `app::input` reads the replies.
pub const ASK_TERMINAL: &[u8] = b"\x1b[>q\x1b[c";

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
    /// What the terminal shows, row by row, as far as we sent it.
    shown: Vec<Vec<Cell>>,
    /// The terminal reorders each line taking it as left to right: rows
    /// with right-to-left text get direction marks.
    logical: bool,
}

impl ByteBackend {
    fn new(sink: Sink, width: u16, height: u16) -> ByteBackend {
        let mut b = ByteBackend {
            inner: CrosstermBackend::new(sink),
            size: Size::new(width, height),
            shown: Vec::new(),
            logical: false,
        };
        b.forget();
        b
    }

    fn forget(&mut self) {
        let (w, h) = (self.size.width as usize, self.size.height as usize);
        self.shown = vec![vec![Cell::default(); w]; h];
    }
}

/// Whether a row holds right-to-left text.
fn holds_rtl(row: &[Cell]) -> bool {
    row.iter().any(|c| text::has_rtl(c.symbol()))
}

/// A row for a terminal that reorders each line itself: marked left to
/// right at its start, and with right-to-left marks that keep punctuation
/// with its Arabic sentence (`text::rtl_marks`).
fn with_marks(y: u16, row: &[Cell]) -> Vec<(u16, u16, Cell)> {
    let cells: Vec<(u16, u16, &Cell)> = whole_row(y, row).collect();
    let marks = text::rtl_marks(cells.iter().map(|(_, _, c)| c.symbol()));
    cells
        .iter()
        .zip(marks)
        .enumerate()
        .map(|(i, (&(x, y, c), (before, after)))| {
            let mut symbol = String::new();
            if i == 0 {
                symbol.push_str(text::LRM);
            }
            if before {
                symbol.push_str(text::RLM);
            }
            symbol.push_str(c.symbol());
            if after {
                symbol.push_str(text::RLM);
            }
            let mut cell = c.clone();
            cell.set_symbol(&symbol);
            (x, y, cell)
        })
        .collect()
}

/// The cells that draw `row` whole: each one, but those a wide character
/// before it covers.
fn whole_row(y: u16, row: &[Cell]) -> impl Iterator<Item = (u16, u16, &Cell)> {
    let mut covered = 0;
    row.iter().enumerate().filter_map(move |(x, c)| {
        if covered > 0 {
            covered -= 1;
            return None;
        }
        covered = text::width(c.symbol()).saturating_sub(1);
        (c.diff_option != CellDiffOption::Skip).then_some((x as u16, y, c))
    })
}

impl Backend for ByteBackend {
    type Error = io::Error;
    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        // A terminal that reorders right-to-left text does it per line, from
        // the line's cells: changing some of them in place can leave stale
        // letters inside words (mlterm). A row that holds such text, before
        // or after, is therefore rewritten whole.
        let updates: Vec<(u16, u16, Cell)> = content.map(|(x, y, c)| (x, y, c.clone())).collect();
        // Each touched row is scanned once, before the update lands on it.
        let mut touched = vec![false; self.shown.len()];
        let mut rewrite = vec![false; self.shown.len()];
        for (_, y, c) in &updates {
            let y = *y as usize;
            if let Some(row) = self.shown.get(y) {
                if !touched[y] {
                    touched[y] = true;
                    rewrite[y] = holds_rtl(row);
                }
                rewrite[y] |= text::has_rtl(c.symbol());
            }
        }
        for (x, y, c) in &updates {
            if let Some(cell) = self
                .shown
                .get_mut(*y as usize)
                .and_then(|row| row.get_mut(*x as usize))
            {
                *cell = c.clone();
            }
        }
        let mut cells: Vec<(u16, u16, &Cell)> = updates
            .iter()
            .filter(|(_, y, _)| !rewrite.get(*y as usize).copied().unwrap_or(false))
            .map(|(x, y, c)| (*x, *y, c))
            .collect();
        let mut marked: Vec<(u16, u16, Cell)> = Vec::new();
        for (y, row) in self.shown.iter().enumerate().filter(|(y, _)| rewrite[*y]) {
            if self.logical && holds_rtl(row) {
                marked.extend(with_marks(y as u16, row));
            } else {
                cells.extend(whole_row(y as u16, row));
            }
        }
        cells.extend(marked.iter().map(|(x, y, c)| (*x, *y, c)));
        cells.sort_by_key(|(x, y, _)| (*y, *x));
        self.inner.draw(cells.into_iter())
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
        self.forget();
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        if clear_type == ClearType::All {
            self.forget();
        }
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
        let backend = ByteBackend::new(sink.clone(), width, height);
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
        self.terminal.backend_mut().forget();
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

    /// Right-to-left text is now sent as `bidi`: the BDSM mode that goes
    /// with it. The next frame clears the screen and draws it whole, which
    /// is also what makes VTE apply the new mode.
    pub fn switch_bidi(&mut self, bidi: Bidi) -> io::Result<Vec<u8>> {
        self.invalidate()?;
        Ok(if bidi.is_logical() {
            BDSM_IMPLICIT
        } else {
            BDSM_EXPLICIT
        }
        .as_bytes()
        .to_vec())
    }

    /// The bytes that bring the terminal from the last frame to `app` now,
    /// and what the frame laid out.
    pub fn frame(&mut self, app: &App) -> io::Result<(Vec<u8>, Layout)> {
        let mut layout = Layout::default();
        self.terminal.backend_mut().logical = app.screen().display().bidi == Bidi::Logical;
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
        let end = String::from_utf8(end_sequence()).expect("ascii");
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

    fn cells(s: &str) -> Vec<Cell> {
        s.chars()
            .map(|c| {
                let mut cell = Cell::default();
                cell.set_symbol(&c.to_string());
                cell
            })
            .collect()
    }

    fn draw(b: &mut ByteBackend, y: u16, x: u16, row: &[Cell]) {
        let at = row.iter().enumerate().map(|(i, c)| (x + i as u16, y, c));
        b.draw(at).expect("draws into memory");
    }

    #[test]
    fn a_changed_cell_on_a_right_to_left_row_rewrites_the_whole_row() {
        let sink = Sink::default();
        let mut b = ByteBackend::new(sink.clone(), 12, 2);
        draw(&mut b, 0, 0, &cells("1. مالسلا"));
        draw(&mut b, 1, 0, &cells("2. hello"));
        sink.take();
        // One cell changes on each row.
        draw(&mut b, 0, 0, &cells("3"));
        draw(&mut b, 1, 0, &cells("4"));
        let sent = String::from_utf8(sink.take()).expect("utf-8");
        assert!(sent.contains("مالسلا"), "the RTL row is rewritten: {sent:?}");
        assert!(!sent.contains("hello"), "the LTR row is not: {sent:?}");
        // A row that held RTL text and no longer does is rewritten too.
        draw(&mut b, 0, 3, &cells("abcdef"));
        let sent = String::from_utf8(sink.take()).expect("utf-8");
        assert!(sent.contains("3. abcdef"), "{sent:?}");
        draw(&mut b, 0, 0, &cells("5"));
        let sent = String::from_utf8(sink.take()).expect("utf-8");
        assert!(!sent.contains("abcdef"), "now plain LTR: {sent:?}");
    }

    #[test]
    fn a_rewritten_row_skips_cells_under_wide_characters() {
        let sink = Sink::default();
        let mut b = ByteBackend::new(sink.clone(), 6, 1);
        let mut row = cells("中 ب");
        // The cell after a wide character is covered, as ratatui leaves it.
        row.insert(1, Cell::default());
        draw(&mut b, 0, 0, &row);
        sink.take();
        draw(&mut b, 0, 5, &cells("x"));
        let sent = String::from_utf8(sink.take()).expect("utf-8");
        // The wide character, then straight to the third column: the
        // covered cell is not drawn over it.
        assert!(sent.contains("中\x1b[1;3H ب x"), "{sent:?}");
    }

    #[test]
    fn in_logical_order_a_rewritten_row_carries_direction_marks() {
        let sink = Sink::default();
        let mut b = ByteBackend::new(sink.clone(), 14, 1);
        b.logical = true;
        draw(&mut b, 0, 0, &cells("  في الماضي."));
        let sent = String::from_utf8(sink.take()).expect("utf-8");
        let text: String = sent.chars().filter(|c| !c.is_ascii_control()).collect();
        assert!(text.contains("\u{200e} "), "starts left to right: {sent:?}");
        assert!(
            text.contains(".\u{200f}"),
            "the full stop stays with its sentence: {sent:?}"
        );
        // The marks are sent, never kept: the next change compares plain cells.
        draw(&mut b, 0, 13, &cells("x"));
        let sent = String::from_utf8(sink.take()).expect("utf-8");
        assert_eq!(sent.matches('\u{200e}').count(), 1, "{sent:?}");
        b.logical = false;
        draw(&mut b, 0, 13, &cells("y"));
        let sent = String::from_utf8(sink.take()).expect("utf-8");
        assert!(
            !sent.contains('\u{200e}') && !sent.contains('\u{200f}'),
            "{sent:?}"
        );
    }
}
