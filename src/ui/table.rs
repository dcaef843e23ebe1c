//! The claims table: only the rows on screen are built, so it costs the same at 50 claims or 100k.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table};

use super::theme::{self, Theme};
use crate::app::{Action, App, Context, keymap};
use crate::text;

/// The widest the ID column grows; longer ids are cut with an ellipsis.
const MAX_ID: u16 = 16;
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

/// Draw the list; returns how many claim rows it shows (a page).
pub fn render(app: &App, theme: Theme, frame: &mut Frame, area: Rect, focused: bool) -> usize {
    let title = format!(
        " Claims {}/{}{} ",
        app.screen().list().visible().len(),
        app.session().desk().claim_count(),
        if app.screen().show_translation() {
            " · translation"
        } else {
            ""
        }
    );
    let block = super::pane(title, focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width == 0 {
        return 0;
    }
    let rows_room = inner.height.saturating_sub(1) as usize;
    // id, status, source, text; the source column gives way first on narrow screens.
    let narrow = inner.width < NARROW;
    let status_w = if narrow { 1 } else { STATUS };
    // The ID column fits the ids on screen (2 to 16 cells).
    let shown = offset(app.screen().list().selected(), rows_room);
    let id_w = (app
        .screen()
        .list()
        .visible()
        .iter()
        .skip(shown)
        .take(rows_room))
    .filter_map(|r| app.session().desk().head(*r))
    .map(|c| text::width(&c.id.0))
    .max()
    .unwrap_or(0)
    .clamp(2, usize::from(MAX_ID)) as u16;
    let rest = inner.width.saturating_sub(2 + id_w + status_w + 3);
    let source_w = (rest / 3).min(22);
    let text_w = rest.saturating_sub(source_w + 1) as usize;
    let first = offset(app.screen().list().selected(), rows_room);
    let rows: Vec<Row> = app.screen().list().visible()
        [first.min(app.screen().list().visible().len())..]
        .iter()
        .take(rows_room)
        .enumerate()
        .filter_map(|(i, r)| {
            let c = app.session().desk().get(*r)?;
            let selected = first + i == app.screen().list().selected();
            let body = if app.screen().show_translation() {
                c.translation_or_pending()
            } else {
                &c.text
            };
            let status = if narrow {
                theme::symbol(c.status).to_string()
            } else {
                format!("{} {}", theme::symbol(c.status), c.status.key())
            };
            let mark = if selected {
                "▶"
            } else if app.screen().list().is_marked(&c.id) {
                "•"
            } else {
                " "
            };
            let row = Row::new(vec![
                Cell::from(mark),
                Cell::from(text::cell(
                    &c.id.0,
                    id_w as usize,
                    app.screen().display().bidi,
                )),
                Cell::from(Line::styled(
                    status,
                    theme.status(app.session().scale(), c.status),
                )),
                Cell::from(text::cell(
                    app.session().catalog().tree().name(&c.source),
                    source_w as usize,
                    app.screen().display().bidi,
                )),
                Cell::from(text::cell(body, text_w, app.screen().display().bidi)),
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
        if app.screen().show_translation() {
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
            Constraint::Length(id_w),
            Constraint::Length(status_w),
            Constraint::Length(source_w),
            Constraint::Min(0),
        ],
    )
    .header(header)
    .column_spacing(1);
    frame.render_widget(table, inner);
    if app.screen().list().visible().is_empty() {
        let clear = keymap::key_for(Context::List, &Action::ClearFilters).unwrap_or_default();
        let msg = Line::from(format!(" no claims match; {clear} clears the filters"));
        if inner.height > 1 {
            frame.render_widget(
                msg.style(theme.dim()),
                Rect::new(inner.x, inner.y + 1, inner.width, 1),
            );
        }
    }
    rows_room
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
