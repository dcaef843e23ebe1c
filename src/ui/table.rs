//! The claims table: only the rows on screen are built, so it costs the same at 50 claims or 100k.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table};

use super::theme::{self, Theme};
use crate::app::{Focus, State};
use crate::text;

const ID: u16 = 7;
const STATUS: u16 = 14;
/// Below this width the status column shows its symbol only, leaving room for the text.
const NARROW: u16 = 60;

/// The first row shown: enough scroll to keep the selection on screen.
pub fn offset(selected: usize, rows: usize) -> usize {
    if rows == 0 {
        0
    } else {
        selected.saturating_sub(rows - 1)
    }
}

pub fn render(state: &State, theme: Theme, frame: &mut Frame, area: Rect) {
    let title = format!(
        " Claims {}/{}{} ",
        state.visible.len(),
        state.desk.claim_count(),
        if state.show_translation {
            " · translation"
        } else {
            ""
        }
    );
    let block = super::pane(title, state.focus == Focus::List, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let rows_room = inner.height.saturating_sub(1) as usize;
    // id, status, source, text; the source column gives way first on narrow screens.
    let narrow = inner.width < NARROW;
    let status_w = if narrow { 1 } else { STATUS };
    let rest = inner.width.saturating_sub(2 + ID + status_w + 3);
    let source_w = (rest / 3).min(22);
    let text_w = rest.saturating_sub(source_w + 1) as usize;
    let first = offset(state.selected, rows_room);
    let rows: Vec<Row> = state.visible[first.min(state.visible.len())..]
        .iter()
        .take(rows_room)
        .enumerate()
        .filter_map(|(i, r)| {
            let c = state.desk.get(*r)?;
            let selected = first + i == state.selected;
            let body = if state.show_translation {
                &c.translation
            } else {
                &c.text
            };
            let status = if narrow {
                theme::symbol(c.status).to_string()
            } else {
                format!("{} {}", theme::symbol(c.status), c.status.key())
            };
            let row = Row::new(vec![
                Cell::from(if selected { "▶" } else { " " }),
                Cell::from(text::cell(&c.id.0, ID as usize, state.bidi)),
                Cell::from(Line::styled(status, theme.status(state.scale(), c.status))),
                Cell::from(text::cell(
                    state.tree.name(&c.source),
                    source_w as usize,
                    state.bidi,
                )),
                Cell::from(text::cell(body, text_w, state.bidi)),
            ]);
            Some(if selected {
                row.style(theme.selected())
            } else {
                row
            })
        })
        .collect();
    let header = Row::new(vec![
        "",
        "ID",
        if narrow { "" } else { "STATUS" },
        "SOURCE",
        if state.show_translation {
            "TRANSLATION"
        } else {
            "TEXT"
        },
    ])
    .style(theme.title());
    let table = Table::new(
        rows,
        [
            Constraint::Length(1),
            Constraint::Length(ID),
            Constraint::Length(status_w),
            Constraint::Length(source_w),
            Constraint::Min(0),
        ],
    )
    .header(header)
    .column_spacing(1);
    frame.render_widget(table, inner);
    if state.visible.is_empty() {
        let msg = Line::from(" no claims match; c clears the filters").style(theme.dim());
        if inner.height > 1 {
            frame.render_widget(msg, Rect::new(inner.x, inner.y + 1, inner.width, 1));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn offset_keeps_the_selection_visible() {
        assert_eq!(super::offset(0, 5), 0);
        assert_eq!(super::offset(4, 5), 0);
        assert_eq!(super::offset(5, 5), 1);
        assert_eq!(super::offset(99, 0), 0);
    }
}
