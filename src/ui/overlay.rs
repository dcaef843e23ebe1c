//! Pop-ups over the desk: help (generated from the keymap), pickers and the note prompt.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::Scrolled;
use super::theme::Theme;
use crate::app::keymap::{self, Context, KEYMAP};
use crate::app::{Action, App, NoteEditor, Overlay, Picker, PickerKind};
use crate::model::Scale;
use crate::text;

/// A box of at most `w` x `h` cells centred in `area`, never larger than it.
fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn boxed(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    theme: Theme,
    lines: Vec<Line>,
    scroll: usize,
) -> Scrolled {
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title.to_string())
        .border_style(theme.focused_border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (inner, marks) = super::text_rows(inner, lines.len());
    let scrolled = Scrolled::of(lines.len(), inner.height as usize);
    let shown: Vec<Line> = lines.into_iter().skip(scroll.min(scrolled.max)).collect();
    frame.render_widget(Paragraph::new(shown), inner);
    super::scroll_marks(frame, marks, scroll, scrolled, theme);
    scrolled
}

/// Every binding of the keymap, section by section, as the table has them;
/// first what the header's symbols mean.
pub fn help_lines(theme: Theme, scale: &Scale) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled("The header", theme.title())];
    lines.push(Line::from(
        "  n/m reviewed: claims with a verdict; then a count per status:",
    ));
    for d in &scale.statuses {
        let verdict = if d.rating.is_some() {
            "a verdict"
        } else {
            "to do"
        };
        lines.push(Line::from(format!(
            "    {}  {} ({verdict})",
            super::theme::symbol(d.key),
            text::sanitize(&d.label)
        )));
    }
    lines.push(Line::from(""));
    for section in KEYMAP {
        lines.push(Line::styled(section.title, theme.title()));
        for b in section.bindings {
            let keys: Vec<String> = b
                .keys
                .iter()
                .map(|p| keymap::pattern_label(p, scale))
                .collect();
            lines.push(Line::from(format!("  {:<14} {}", keys.join(" "), b.help)));
            // Digits set the desk's own statuses: list them from its scale.
            if b.keys.contains(&keymap::Pattern::Digit) {
                for d in &scale.statuses {
                    if let Some(g) = d.digit {
                        let label = text::sanitize(&d.label);
                        lines.push(Line::from(format!(
                            "    {g}            {label} ({})",
                            d.key
                        )));
                    }
                }
            }
        }
        lines.push(Line::from(""));
    }
    lines
}

pub fn help(app: &App, theme: Theme, frame: &mut Frame, area: Rect, scroll: usize) -> Scrolled {
    let lines = help_lines(theme, app.session().scale());
    let h = (lines.len() as u16).saturating_add(2);
    let keys = |a: &Action| keymap::key_for(Context::Help, a).unwrap_or_default();
    let title = format!(
        " Keys · {} close · {}/{} scroll ",
        keys(&Action::Back),
        keys(&Action::Down),
        keys(&Action::Up)
    );
    boxed(frame, centered(area, 76, h), &title, theme, lines, scroll)
}

/// The session's messages, newest first, each in full.
pub fn messages(app: &App, theme: Theme, frame: &mut Frame, area: Rect, scroll: usize) -> Scrolled {
    let w = 100u16.min(area.width);
    let inner = (w.saturating_sub(2) as usize).max(1);
    let bidi = app.screen().display().bidi;
    let mut lines: Vec<Line> = Vec::new();
    for m in app.screen().log() {
        let ago = m.at.elapsed().as_secs();
        let when = match ago {
            0..10 => "just now".to_string(),
            10..60 => format!("{ago} s ago"),
            _ => format!("{} min ago", ago / 60),
        };
        let head = if m.error { "error" } else { "info" };
        let style = if m.error { theme.error() } else { theme.dim() };
        lines.push(Line::styled(format!("{head} · {when}"), style));
        lines.extend(super::para_lines(
            &m.text,
            None,
            inner,
            bidi,
            Default::default(),
            Default::default(),
        ));
        lines.push(Line::from(""));
    }
    if lines.is_empty() {
        lines.push(Line::styled("no messages yet", theme.dim()));
    }
    let h = (lines.len() as u16).saturating_add(2).min(area.height);
    let keys = |a: &Action| keymap::key_for(Context::Help, a).unwrap_or_default();
    let title = format!(
        " Messages, newest first · {} close · {}/{} scroll ",
        keys(&Action::Back),
        keys(&Action::Down),
        keys(&Action::Up)
    );
    boxed(frame, centered(area, w, h), &title, theme, lines, scroll)
}

pub fn picker(p: &Picker, theme: Theme, bidi: crate::text::Bidi, frame: &mut Frame, area: Rect) {
    let what = match p.kind {
        PickerKind::Source => "Filter by source · Space toggle · Enter apply",
        PickerKind::StatusFilter => "Filter by status · Space toggle · Enter apply",
        PickerKind::SetStatus => "Set status · Enter or a digit chooses",
        PickerKind::SetSource => "Who said it · Enter chooses · / a new name adds it",
        PickerKind::LinkClaim => "The same claim as · Enter links · / filters or takes an id",
        PickerKind::GoTo => "Go to claim · type its id · Enter goes",
    };
    let title = if p.typing || !p.query.is_empty() {
        let cursor = if p.typing { "█" } else { "" };
        // What is typed must show whole: the title says less around it.
        let what = match p.kind {
            PickerKind::Source => "Filter by source",
            PickerKind::StatusFilter => "Filter by status",
            PickerKind::SetStatus => "Set status",
            PickerKind::SetSource => "Who said it",
            PickerKind::LinkClaim => "The same claim as",
            PickerKind::GoTo => "Go to claim",
        };
        // An Arabic name being typed reads in the terminal's order.
        let typed = format!(" {what} · /{}{cursor} ", text::sanitize(&p.query));
        text::visual(&typed, false, bidi).into_owned()
    } else {
        format!(" {what} · / filter ")
    };
    let w = 64u16.min(area.width.saturating_sub(2).max(1));
    let inner_w = w.saturating_sub(2) as usize;
    let shown = p.shown();
    let mut lines: Vec<Line> = shown
        .iter()
        .map(|&i| {
            let e = &p.entries[i];
            let mark = match (p.kind, p.checked.contains(&i)) {
                (
                    PickerKind::SetStatus
                    | PickerKind::SetSource
                    | PickerKind::LinkClaim
                    | PickerKind::GoTo,
                    _,
                ) => "",
                (_, true) => "[x] ",
                (_, false) => "[ ] ",
            };
            let cursor = if i == p.cursor { "▶ " } else { "  " };
            let lead = format!("{cursor}{}{mark}", "  ".repeat(e.depth));
            let count = match e.own {
                Some(own) => format!(" {own} · {} with sub-sources", e.count),
                None => format!(" {}", e.count),
            };
            let room = inner_w.saturating_sub(count.len() + text::width(&lead));
            // A name as the article writes it may be Arabic: in the order the terminal draws.
            let name = text::fit(&text::cell(&e.label, room, bidi), room);
            let line = Line::from(vec![Span::raw(lead), Span::raw(name), Span::raw(count)]);
            if i == p.cursor {
                line.style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    if lines.is_empty() && p.kind == PickerKind::SetSource {
        let new = format!(
            "  Enter: a new source, «{}»",
            text::sanitize(p.query.trim())
        );
        lines.push(Line::styled(
            text::visual(&new, false, bidi).into_owned(),
            theme.dim(),
        ));
    } else if lines.is_empty() {
        lines.push(Line::styled(
            "  nothing matches; Esc clears the filter",
            theme.dim(),
        ));
    }
    let h = (lines.len() as u16).saturating_add(2);
    let at = shown.iter().position(|&i| i == p.cursor).unwrap_or(0);
    let scroll = at.saturating_sub(area.height.saturating_sub(4) as usize);
    boxed(frame, centered(area, w, h), &title, theme, lines, scroll);
}

/// The note editor: the text area in a box, its keys below.
pub fn note(app: &App, ed: &NoteEditor, theme: Theme, frame: &mut Frame, area: Rect) {
    let w = 76u16.min(area.width);
    let lines = ed.editor.lines().len() as u16;
    let h = (lines + 4).clamp(8, 20).min(area.height);
    let outer = centered(area, w, h);
    frame.render_widget(Clear, outer);
    let what = match ed.written {
        crate::app::Written::Note => "Note",
        crate::app::Written::Translation => "Translation (English)",
    };
    let title = format!(" {what} for {} ", text::sanitize(&ed.claim.0));
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title)
        .border_style(theme.focused_border());
    let inner = block.inner(outer);
    frame.render_widget(block, outer);
    if inner.height < 2 {
        return;
    }
    let text_area = Rect::new(inner.x, inner.y, inner.width, inner.height - 1);
    let bidi = app.screen().display().bidi;
    // The editor draws text in logical order; on a terminal that gets
    // visual order, Arabic being written must read as it will once saved.
    if !bidi.is_logical() && ed.editor.lines().iter().any(|l| text::is_rtl(l)) {
        editor_visual(ed, bidi, frame, text_area);
    } else {
        frame.render_widget(&ed.editor, text_area);
    }
    let hints = Line::styled(hint_line(Context::Note, app), theme.dim());
    frame.render_widget(
        Paragraph::new(hints),
        Rect::new(inner.x, inner.y + inner.height - 1, inner.width, 1),
    );
}

/// The rows the editor's text takes at `cols`: each line wrapped between
/// words, every byte of it on a row (a typed space stays where the cursor
/// is), as (line, byte range).
fn editor_rows(lines: &[String], cols: usize) -> Vec<(usize, std::ops::Range<usize>)> {
    let mut rows = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let ranges = text::wrap_ranges(l, cols);
        let starts: Vec<usize> = std::iter::once(0)
            .chain(ranges.iter().skip(1).map(|r| r.start))
            .collect();
        for (k, &start) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(l.len());
            rows.push((i, start..end));
        }
    }
    rows
}

/// The note being written, each row in the order the terminal shows it
/// (right-to-left rows right-aligned), the cursor on the letter it is at.
fn editor_visual(ed: &NoteEditor, bidi: text::Bidi, frame: &mut Frame, area: Rect) {
    let lines = ed.editor.lines();
    let cols = (area.width as usize).saturating_sub(1).max(1);
    let rows = editor_rows(lines, cols);
    let (row, col) = (ed.editor.cursor().0, ed.editor.cursor().1);
    let line = lines.get(row).map_or("", String::as_str);
    let at = line.char_indices().nth(col).map_or(line.len(), |(b, _)| b);
    let on = rows
        .iter()
        .position(|(i, r)| *i == row && r.start <= at && (at < r.end || r.end == line.len()))
        .unwrap_or(0);
    let height = area.height as usize;
    let first = on.saturating_sub(height.saturating_sub(1));
    let cursor = ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::REVERSED);
    let shown: Vec<Line> = (rows.iter().enumerate().skip(first).take(height))
        .map(|(n, (i, r))| {
            let l = &lines[*i];
            let rtl = text::is_rtl(l);
            let seg = &l[r.clone()];
            // The letter under the cursor, as a range of `seg`.
            let under = (n == on && at < r.end).then(|| {
                let from = at - r.start;
                let len = seg[from..].chars().next().map_or(0, char::len_utf8);
                from..from + len
            });
            // Terminals that draw letters isolated get them joined, each
            // side of the cursor on its own (as a highlight is shaped).
            let (text, under, order) = if bidi == text::Bidi::ReorderShaped {
                let (shaped, under) = super::shaped_with_highlight(seg, under);
                (shaped, under, text::Bidi::Reorder)
            } else {
                (seg.to_string(), under, bidi)
            };
            let mut spans: Vec<Span> = text::visual_order(&text, rtl, order)
                .into_iter()
                .map(|(g, mirrored)| {
                    let s = &text[g.clone()];
                    let s = if mirrored { text::mirror(s) } else { s };
                    let here = under.as_ref().is_some_and(|u| u.contains(&g.start));
                    match here {
                        true => Span::styled(s.to_string(), cursor),
                        false => Span::raw(s.to_string()),
                    }
                })
                .collect();
            if n == on && at == r.end {
                // After the last letter: where the next one will go.
                let end = Span::styled(" ", cursor);
                if rtl {
                    spans.insert(0, end);
                } else {
                    spans.push(end);
                }
            }
            let line = Line::from(spans);
            if rtl { line.right_aligned() } else { line }
        })
        .collect();
    frame.render_widget(Paragraph::new(shown), area);
}

/// Their note and mine, side by side in one box, and what each key keeps.
pub fn note_conflict(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let Some(Overlay::NoteConflict {
        claim,
        theirs,
        who,
        mine,
        ..
    }) = app.screen().overlay()
    else {
        return;
    };
    let w = 76u16.min(area.width);
    let inner_w = (w.saturating_sub(2) as usize).max(1);
    let bidi = app.screen().display().bidi;
    let para = |t: &str| {
        super::para_lines(
            t,
            None,
            inner_w,
            bidi,
            Default::default(),
            Default::default(),
        )
    };
    let mut lines = vec![Line::styled(
        text::fit(&format!("Theirs ({})", text::sanitize(who)), inner_w),
        theme.title(),
    )];
    lines.extend(para(theirs.as_deref().unwrap_or("(no note)")));
    lines.push(Line::from(""));
    lines.push(Line::styled("Yours", theme.title()));
    lines.extend(para(mine));
    lines.push(Line::from(""));
    lines.push(Line::styled(
        hint_line(Context::NoteConflict, app),
        theme.dim(),
    ));
    let h = (lines.len() as u16 + 2).min(area.height);
    let title = format!(
        " {} has a newer note · keep which? ",
        text::sanitize(&claim.0)
    );
    boxed(frame, centered(area, w, h), &title, theme, lines, 0);
}

/// A claim's evidence URLs with a cursor, and the URL being typed.
pub fn evidence(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let Some(Overlay::Evidence {
        claim,
        cursor,
        input,
        replacing,
    }) = app.screen().overlay()
    else {
        return;
    };
    let desk = app.session().desk();
    let urls = desk
        .find(claim)
        .and_then(|r| desk.get(r))
        .map(|c| c.evidence.clone())
        .unwrap_or_default();
    let w = 90u16.min(area.width);
    let inner = (w.saturating_sub(2) as usize).max(1);
    let mut lines: Vec<Line> = urls
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let mark = if i == *cursor && input.is_none() {
                "▶ "
            } else {
                "  "
            };
            let line = Line::from(text::fit(&format!("{mark}{}", text::sanitize(u)), inner));
            if i == *cursor && input.is_none() {
                line.style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    if urls.is_empty() {
        lines.push(Line::styled("  no evidence yet", theme.dim()));
    }
    lines.push(Line::from(""));
    let ctx = match input {
        Some(typed) => {
            let what = if replacing.is_some() {
                "Edit URL:"
            } else {
                "New URL:"
            };
            lines.push(Line::styled(what, theme.title()));
            lines.extend(super::para_lines(
                &format!("{typed}█"),
                None,
                inner,
                crate::text::Bidi::Logical,
                Default::default(),
                Default::default(),
            ));
            Context::EvidenceInput
        }
        None => Context::Evidence,
    };
    lines.push(Line::styled(hint_line(ctx, app), theme.dim()));
    let h = (lines.len() as u16 + 2).min(area.height);
    let title = format!(" Evidence for {} ", text::sanitize(&claim.0));
    boxed(frame, centered(area, w, h), &title, theme, lines, 0);
}

/// A context's hints as one line.
fn hint_line(ctx: Context, app: &App) -> String {
    keymap::hints(ctx, app.session().scale()).join(" · ")
}
