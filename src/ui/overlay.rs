//! Pop-ups over the desk: help (generated from the keymap), pickers and the note prompt.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::theme::Theme;
use crate::app::keymap::{self, Context, KEYMAP};
use crate::app::{Picker, PickerKind, State};
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
) {
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title.to_string())
        .border_style(theme.focused_border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let max = lines.len().saturating_sub(inner.height as usize);
    let shown: Vec<Line> = lines.into_iter().skip(scroll.min(max)).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

/// Every binding of the keymap, grouped by where it applies.
pub fn help_lines(theme: Theme, scale: &Scale) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for ctx in [
        Context::Desk,
        Context::Picker,
        Context::Prompt,
        Context::Help,
    ] {
        lines.push(Line::styled(keymap::context_title(ctx), theme.title()));
        for b in KEYMAP.iter().filter(|b| b.context == ctx) {
            let keys: Vec<String> = b.keys.iter().map(|k| keymap::key_label(*k)).collect();
            lines.push(Line::from(format!("  {:<12} {}", keys.join(" "), b.help)));
            // Digits set the desk's own statuses: list them from its scale.
            if b.keys.contains(&keymap::Key::Digit) {
                for d in &scale.statuses {
                    if let Some(g) = d.digit {
                        let label = text::sanitize(&d.label);
                        lines.push(Line::from(format!("    {g}          {label} ({})", d.key)));
                    }
                }
            }
        }
        lines.push(Line::from(""));
    }
    lines.push(Line::from("  Ctrl-c       quit from anywhere"));
    lines
}

pub fn help(state: &State, theme: Theme, frame: &mut Frame, area: Rect, scroll: usize) {
    let lines = help_lines(theme, state.scale());
    let h = (lines.len() as u16).saturating_add(2);
    boxed(
        frame,
        centered(area, 72, h),
        " Keys · Esc close · j/k scroll ",
        theme,
        lines,
        scroll,
    );
}

pub fn picker(p: &Picker, theme: Theme, frame: &mut Frame, area: Rect) {
    let title = match p.kind {
        PickerKind::Source => " Filter by source · Space toggle · Enter apply ",
        PickerKind::StatusFilter => " Filter by status · Space toggle · Enter apply ",
        PickerKind::SetStatus => " Set status · Enter choose ",
    };
    let w = 60u16.min(area.width.saturating_sub(2).max(1));
    let inner_w = w.saturating_sub(2) as usize;
    let lines: Vec<Line> = p
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mark = match (p.kind, p.checked.contains(&i)) {
                (PickerKind::SetStatus, _) => "",
                (_, true) => "[x] ",
                (_, false) => "[ ] ",
            };
            let cursor = if i == p.cursor { "▶ " } else { "  " };
            let label = format!(
                "{cursor}{}{mark}{}",
                "  ".repeat(e.depth),
                text::sanitize(&e.label)
            );
            let count = format!(" {}", e.count);
            let room = inner_w.saturating_sub(count.len());
            let line = Line::from(vec![Span::raw(text::fit(&label, room)), Span::raw(count)]);
            if i == p.cursor {
                line.style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    let h = (lines.len() as u16).saturating_add(2);
    let scroll = p
        .cursor
        .saturating_sub(area.height.saturating_sub(4) as usize);
    boxed(frame, centered(area, w, h), title, theme, lines, scroll);
}

pub fn note(state: &State, buffer: &str, theme: Theme, frame: &mut Frame, area: Rect) {
    let id = state
        .selected_claim()
        .map(|c| c.id.0.clone())
        .unwrap_or_default();
    let w = 70u16.min(area.width);
    let inner_w = w.saturating_sub(2) as usize;
    let mut lines = super::para_lines(
        &format!("{buffer}█"),
        None,
        inner_w.max(1),
        state.bidi,
        Default::default(),
        Default::default(),
    );
    lines.push(Line::styled(
        "Enter save · Esc cancel · Ctrl-u clear",
        theme.dim(),
    ));
    let h = (lines.len() as u16 + 2).min(area.height);
    let title = format!(" Note for {} ", text::sanitize(&id));
    let scroll = lines.len().saturating_sub(h.saturating_sub(2) as usize);
    boxed(frame, centered(area, w, h), &title, theme, lines, scroll);
}
