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
    };
    let title = if p.typing || !p.query.is_empty() {
        let cursor = if p.typing { "█" } else { "" };
        format!(" {what} · /{}{cursor} ", text::sanitize(&p.query))
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
                (PickerKind::SetStatus | PickerKind::SetSource | PickerKind::LinkClaim, _) => "",
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
        lines.push(Line::styled(
            format!(
                "  Enter: a new source, «{}»",
                text::sanitize(p.query.trim())
            ),
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
    frame.render_widget(&ed.editor, text_area);
    let hints = Line::styled(hint_line(Context::Note, app), theme.dim());
    frame.render_widget(
        Paragraph::new(hints),
        Rect::new(inner.x, inner.y + inner.height - 1, inner.width, 1),
    );
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
