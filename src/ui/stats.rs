//! The stats view: the source x status matrix with a progress bar per source,
//! and what each reviewer did. Enter on a cell filters the list to it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::{self, Theme};
use crate::app::App;
use crate::app::{Action, Context, keymap};
use crate::model::Status;
use crate::query::reviewer_activity;
use crate::text;

const CELL: usize = 6;

/// `width` cells of bar for `done` out of `total`.
fn bar(done: usize, total: usize, width: usize) -> String {
    let full = (done * width).checked_div(total).unwrap_or(0);
    format!("{}{}", "█".repeat(full), "░".repeat(width - full))
}

pub fn render(app: &App, theme: Theme, frame: &mut Frame, area: Rect, cell: (usize, usize)) {
    let rows = app.session().catalog().stats_rows(app.session().desk());
    let activity = reviewer_activity(app.session().desk());
    let activity_h = (activity.len() as u16 + 2).min(area.height / 3).max(3);
    let [matrix, people] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(activity_h)]).areas(area);

    let keys = |a: &Action| keymap::key_for(Context::Stats, a).unwrap_or_default();
    let title = format!(
        " Stats · {}/{}/{}/{} move · {} filter · {} back ",
        keys(&Action::Left),
        keys(&Action::Down),
        keys(&Action::Up),
        keys(&Action::Right),
        keys(&Action::Open),
        keys(&Action::Back),
    );
    let block = super::pane(title, true, theme);
    let inner = block.inner(matrix);
    frame.render_widget(block, matrix);
    let w = inner.width as usize;
    // The bar takes what is left after the numbers and a readable name column.
    let bar_w = w
        .saturating_sub((app.session().scale().len() + 1) * CELL + 11 + 22)
        .clamp(0, 12);
    let bar_w = if bar_w < 4 { 0 } else { bar_w };
    let numbers = (app.session().scale().len() + 1) * CELL;
    // The reviewed column ("  done/total") takes 11 cells.
    let name_w = w.saturating_sub(numbers + bar_w + 11).max(8);
    let mut head = vec![Span::styled(
        text::fit("SOURCE (with sub-sources)", name_w),
        theme.title(),
    )];
    let scale = app.session().scale();
    for s in scale.keys() {
        // Column headings: the label's first letters (its symbol and colour tell the rest).
        let word: String = scale.label(s).chars().take(CELL - 2).collect();
        let label = format!("{}{}", theme::symbol(s), text::sanitize(&word));
        head.push(Span::styled(
            format!("{label:>CELL$}"),
            theme.status(scale, s),
        ));
    }
    head.push(Span::styled(format!("{:>CELL$}", "total"), theme.title()));
    head.push(Span::styled("  reviewed", theme.title()));
    let mut lines = vec![Line::from(head)];
    let (sel_row, sel_col) = cell;
    let visible = (inner.height as usize).saturating_sub(1);
    let first = sel_row.saturating_sub(visible.saturating_sub(1));
    for (i, row) in rows.iter().enumerate().skip(first).take(visible) {
        let name = format!("{}{}", "  ".repeat(row.depth), text::sanitize(&row.name));
        let mut spans = vec![Span::raw(text::fit(&name, name_w))];
        for (c, n) in row.counts.iter().chain([row.total()].iter()).enumerate() {
            let cell = format!("{n:>CELL$}");
            let style = if i == sel_row && c == sel_col {
                theme.selected()
            } else {
                Default::default()
            };
            spans.push(Span::styled(cell, style));
        }
        let (done, total) = (row.reviewed, row.total());
        spans.push(Span::raw(format!("  {done:>4}/{total:<4}")));
        if bar_w > 0 {
            spans.push(Span::raw(" "));
            let style = theme.status(scale, Status::Verified);
            spans.push(Span::styled(bar(done, total, bar_w - 1), style));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), inner);

    let block = super::pane(" Reviewers ".into(), false, theme);
    let inner = block.inner(people);
    frame.render_widget(block, people);
    let lines: Vec<Line> = if activity.is_empty() {
        vec![Line::styled("no changes recorded yet", theme.dim())]
    } else {
        activity
            .iter()
            .map(|a| {
                let plural = |n: usize, one: &str, many: &str| {
                    format!("{n:>5} {}", if n == 1 { one } else { many })
                };
                Line::from(format!(
                    "{} {} {}   last {}",
                    text::fit(&text::sanitize(&a.reviewer), 20),
                    plural(a.changes, "change ", "changes"),
                    plural(a.verdicts, "verdict ", "verdicts"),
                    text::when(
                        &text::sanitize(&a.last),
                        &app.screen().display().time_zone,
                        jiff::Timestamp::now()
                    )
                ))
            })
            .collect()
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    #[test]
    fn bars_fill_in_proportion() {
        assert_eq!(super::bar(1, 4, 8), "██░░░░░░");
        assert_eq!(super::bar(0, 0, 3), "░░░");
        assert_eq!(super::bar(3, 3, 3), "███");
    }
}
