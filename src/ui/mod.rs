//! Drawing the desk: one function per view, each reading `State` and
//! changing nothing. All text from files goes through `crate::text` first.

mod detail;
pub mod output;
mod overlay;
mod stats;
mod table;
pub mod theme;

use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};

use crate::app::{Action, App, Context, Focus, Overlay, View, keymap};
use crate::text::{self, Bidi};
use theme::Theme;

const HEADER: u16 = 1;
const STATUS_BAR: u16 = 2;
/// From this width the list and the detail sit side by side.
const SIDE_BY_SIDE: u16 = 120;
/// Below this body height the detail pane is hidden.
const MIN_STACKED: u16 = 14;

/// Where the main view puts its panes at a size.
struct MainLayout {
    table: Rect,
    detail: Option<Rect>,
}

fn body(area: Rect) -> Rect {
    let h = area.height.saturating_sub(HEADER + STATUS_BAR);
    Rect::new(area.x, area.y + HEADER.min(area.height), area.width, h)
}

fn main_layout(area: Rect) -> MainLayout {
    let body = body(area);
    if area.width >= SIDE_BY_SIDE {
        let [t, d] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
            .areas(body);
        MainLayout {
            table: t,
            detail: Some(d),
        }
    } else if body.height >= MIN_STACKED {
        let [t, d] = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Percentage(45), Constraint::Percentage(55)])
            .areas(body);
        MainLayout {
            table: t,
            detail: Some(d),
        }
    } else {
        MainLayout {
            table: body,
            detail: None,
        }
    }
}

/// How far a scrolling area could scroll, and how much of it showed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scrolled {
    pub max: usize,
    pub page: usize,
}

impl Scrolled {
    /// `total` lines in a window `page` lines tall.
    pub fn of(total: usize, page: usize) -> Scrolled {
        Scrolled {
            max: total.saturating_sub(page),
            page,
        }
    }
}

/// Draw the desk. Changes nothing; says what it laid out (page sizes and
/// scroll ranges), for the drive loop to give back to the app.
pub fn render(app: &App, frame: &mut Frame) -> crate::app::Layout {
    let area = frame.area();
    let mut layout = crate::app::Layout {
        width: area.width,
        height: area.height,
        list_rows: 0,
        scroll_max: 0,
        scroll_page: 0,
    };
    if area.width == 0 || area.height == 0 {
        return layout;
    }
    let theme = Theme {
        color: app.screen().display().color,
    };
    header(
        app,
        theme,
        frame,
        Rect::new(area.x, area.y, area.width, HEADER.min(area.height)),
    );
    let mut scrolled = Scrolled::default();
    match app.screen().view() {
        View::Main {
            focus,
            detail_scroll,
        } => {
            let l = main_layout(area);
            layout.list_rows = table::render(app, theme, frame, l.table, *focus == Focus::List);
            if let Some(d) = l.detail {
                let focused = *focus == Focus::Detail;
                scrolled = detail::render(app, theme, frame, d, *detail_scroll, focused);
            }
        }
        View::Claim { scroll } => {
            scrolled = detail::render(app, theme, frame, body(area), *scroll, true);
        }
        View::Article => detail::article(app, theme, frame, body(area)),
        View::Stats { cell } => stats::render(app, theme, frame, body(area), *cell),
    }
    status_bar(app, theme, frame, area);
    match app.screen().overlay() {
        Some(Overlay::Help { scroll }) => {
            scrolled = overlay::help(app, theme, frame, area, *scroll);
        }
        Some(Overlay::Messages { scroll }) => {
            scrolled = overlay::messages(app, theme, frame, area, *scroll);
        }
        Some(Overlay::Picker(p)) => {
            overlay::picker(p, theme, app.screen().display().bidi, frame, area)
        }
        Some(Overlay::Note(ed)) => overlay::note(app, ed, theme, frame, area),
        Some(Overlay::NoteConflict { .. }) => overlay::note_conflict(app, theme, frame, area),
        Some(Overlay::Evidence { .. }) => overlay::evidence(app, theme, frame, area),
        Some(Overlay::Search) | None => {}
    }
    layout.scroll_max = scrolled.max;
    layout.scroll_page = scrolled.page;
    layout
}

/// The help as plain lines (for tests and for anything that wants it as text).
pub fn help_text(app: &App) -> Vec<String> {
    overlay::help_lines(Theme { color: false }, app.session().scale())
        .into_iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

/// A URL shown on screen: its first cell, the text drawn there, and where it points.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub x: u16,
    pub y: u16,
    pub text: String,
    pub url: String,
}

/// The evidence links visible in a frame of `area`, for terminals that
/// support OSC 8 hyperlinks. None while an overlay covers the desk.
pub fn links(app: &App, area: Rect) -> Vec<Link> {
    if app.screen().overlay().is_some() || area.width == 0 || area.height == 0 {
        return Vec::new();
    }
    let theme = Theme {
        color: app.screen().display().color,
    };
    let (detail, scroll) = match app.screen().view() {
        View::Main { detail_scroll, .. } => (main_layout(area).detail, *detail_scroll),
        View::Claim { scroll } => (Some(body(area)), *scroll),
        View::Article | View::Stats { .. } => (None, 0),
    };
    detail.map_or_else(Vec::new, |d| detail::links(app, theme, d, scroll))
}

fn header(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let counts = app.session().catalog().status_counts();
    let scale = app.session().scale();
    let total: usize = counts.iter().sum();
    let reviewed = scale.verdicts_in(counts);
    let mut right: Vec<Span> = Vec::new();
    for (s, n) in scale.keys().zip(counts) {
        right.push(Span::styled(
            format!(" {}{n}", theme::symbol(s)),
            theme.status(scale, s),
        ));
    }
    let right_width = right.iter().map(|s| s.width()).sum::<usize>() + 1;
    let title = app
        .selected_ref()
        .and_then(|r| app.session().desk().doc(r))
        .map(|d| d.article.english_title().to_string())
        .unwrap_or_default();
    let head = format!(" claimdesk · {reviewed}/{total} reviewed · ");
    // A bureau's desk that syncs says when it last did, and whether that
    // failed, before the title (which is cut first at 80 columns).
    let (synced, synced_style) = match app.session().synced() {
        Some(s) => {
            let at = jiff::Timestamp::try_from(s.at)
                .map(|t| {
                    t.to_zoned_datetime(app.screen().display().time_zone.clone())
                        .strftime("%H:%M")
                        .to_string()
                })
                .unwrap_or_default();
            if s.failed {
                let said = format!("sync failed {at}: {} · ", text::sanitize(&s.said));
                (said, theme.error())
            } else {
                (format!("synced {at} · "), theme.title())
            }
        }
        None => (String::new(), theme.title()),
    };
    let room = (area.width as usize).saturating_sub(right_width);
    let left = format!("{head}{synced}{}", text::sanitize(&title));
    let fitted = text::fit(&left, room);
    let whole = fitted.starts_with(&head) && fitted[head.len()..].starts_with(&synced);
    let mut spans = if synced.is_empty() || !whole {
        vec![Span::styled(fitted, theme.title())]
    } else {
        let rest = &fitted[head.len() + synced.len()..];
        vec![
            Span::styled(head.clone(), theme.title()),
            Span::styled(synced.clone(), synced_style),
            Span::styled(rest.to_string(), theme.title()),
        ]
    };
    if room > 0 {
        spans.extend(right);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn status_bar(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    if area.height < HEADER + STATUS_BAR {
        return;
    }
    let y = area.y + area.height - STATUS_BAR;
    let w = area.width as usize;
    let mut parts = vec![format!(
        "{}/{} shown",
        app.screen().list().visible().len(),
        app.session().desk().claim_count()
    )];
    if let Some((arrived, total)) = app.session().loading() {
        let desk = app.session().desk();
        if app.screen().list().filter().search.is_empty() {
            parts.push(format!("loading {arrived}/{total} files"));
        } else {
            // What a search answers so far, and what the whole desk will be
            // (at the claims a file the files in have).
            let have = desk.claim_count();
            let all = (have as u128 * total as u128 / arrived.max(1) as u128) as usize;
            parts.push(format!(
                "searching {} of about {} claims (loading)",
                text::thousands(have),
                text::thousands(all)
            ));
        }
    }
    let tree = app.session().catalog().tree();
    if let Some(src) = &app.screen().list().filter().sources {
        let mut names: Vec<&str> = src
            .iter()
            .filter(|id| {
                // Name only the roots of the selection; their children are implied.
                tree.get(id)
                    .and_then(|s| s.parent.as_ref())
                    .is_none_or(|p| !src.contains(p))
            })
            .map(|id| tree.name(id))
            .collect();
        names.sort_unstable();
        parts.push(format!("source: {}", names.join(", ")));
    }
    if let Some(st) = &app.screen().list().filter().statuses {
        let keys: Vec<&str> = app
            .session()
            .scale()
            .keys()
            .filter(|s| st.contains(s))
            .map(|s| s.key())
            .collect();
        parts.push(format!("status: {}", keys.join(", ")));
    }
    if app.screen().list().filter().changed_by.is_some() {
        parts.push("changed by me".into());
    }
    let sort = app.screen().list().sort();
    if sort != crate::query::Sort::Desk {
        parts.push(format!("by {}", sort.name()));
    }
    let marked = app.screen().list().marked_count();
    if marked > 0 {
        parts.push(format!("{marked} selected"));
    }
    let searching = matches!(app.screen().overlay(), Some(Overlay::Search));
    if searching {
        parts.push(format!("/{}█", app.screen().list().filter().search));
    } else if !app.screen().list().filter().search.is_empty() {
        parts.push(format!("search: {}", app.screen().list().filter().search));
    }
    let left = text::sanitize(&parts.join(" · ")).into_owned();
    let left = text::visual(
        &text::truncate(&left, w),
        false,
        app.screen().display().bidi,
    )
    .into_owned();
    // As many hints as fit beside the filters, in keymap order.
    let left_w = text::width(&left);
    let mut hints = String::new();
    for h in crate::app::keymap::hints(app.context(), app.session().scale()) {
        if left_w + 2 + text::width(&hints) + text::width(&h) + 2 > w {
            break;
        }
        hints.push_str("  ");
        hints.push_str(&h);
    }
    let pad = w.saturating_sub(left_w + text::width(&hints));
    let line1 = Line::from(vec![
        Span::raw(left),
        Span::raw(" ".repeat(pad)),
        Span::raw(hints),
    ]);
    frame.render_widget(
        Paragraph::new(line1).style(Style::new().add_modifier(ratatui::style::Modifier::REVERSED)),
        Rect::new(area.x, y, area.width, 1),
    );
    let line2 = match app.screen().message() {
        Some(m) => {
            let said = text::sanitize(&m.text).replace('\n', " ");
            let said = if m.error {
                format!("error: {said}")
            } else {
                said
            };
            // Too long for the line: say where to read all of it.
            let log = keymap::key_for(Context::List, &Action::Messages).unwrap_or_default();
            let more = format!(" ({log}: in full)");
            let shown = if text::width(&said) > w && w > more.len() + 10 {
                format!("{}{more}", text::truncate(&said, w - more.len()))
            } else {
                text::fit(&said, w)
            };
            let style = if m.error { theme.error() } else { Style::new() };
            Line::styled(shown, style)
        }
        None => Line::from(""),
    };
    frame.render_widget(
        Paragraph::new(line2),
        Rect::new(area.x, y + 1, area.width, 1),
    );
}

/// A paragraph as display lines: wrapped to `width`, each line in visual
/// order, right-to-left paragraphs right-aligned, and the bytes in
/// `highlight` (of the sanitised text) drawn in `hl`.
pub fn para_lines(
    raw: &str,
    highlight: Option<Range<usize>>,
    width: usize,
    bidi: Bidi,
    base: Style,
    hl: Style,
) -> Vec<Line<'static>> {
    // A note's line breaks are line breaks, each line its own paragraph.
    if highlight.is_none() && raw.contains('\n') {
        return raw
            .split('\n')
            .flat_map(|part| para_lines(part.trim_end_matches('\r'), None, width, bidi, base, hl))
            .collect();
    }
    let clean = text::sanitize(raw);
    let rtl = text::is_rtl(&clean);
    let mut out = Vec::new();
    for range in text::wrap_ranges(&clean, width) {
        let logical = &clean[range.clone()];
        // The highlight in this line's own coordinates.
        let local = highlight.as_ref().and_then(|h| {
            let start = h.start.max(range.start).min(range.end) - range.start;
            let end = h.end.max(range.start).min(range.end) - range.start;
            (start < end).then_some(start..end)
        });
        let (line, lit_range) = if bidi == Bidi::ReorderShaped {
            shaped_with_highlight(logical, local)
        } else {
            (logical.to_string(), local)
        };
        let mut spans: Vec<Span<'static>> = Vec::new();
        let mut run = String::new();
        let mut run_hl = false;
        let breaks: Vec<usize> = lit_range.iter().flat_map(|h| [h.start, h.end]).collect();
        for (g, mirrored) in text::visual_order_styled(&line, rtl, bidi, &breaks) {
            let lit = lit_range.as_ref().is_some_and(|h| h.contains(&g.start));
            if lit != run_hl && !run.is_empty() {
                spans.push(Span::styled(
                    std::mem::take(&mut run),
                    if run_hl { hl } else { base },
                ));
            }
            run_hl = lit;
            let s = &line[g];
            run.push_str(if mirrored { text::mirror(s) } else { s });
        }
        if !run.is_empty() {
            spans.push(Span::styled(run, if run_hl { hl } else { base }));
        }
        let l = Line::from(spans);
        // A terminal that orders each line by its first letter already
        // puts a right-to-left line's start on the right.
        out.push(if rtl && bidi != Bidi::LogicalByLine {
            l.right_aligned()
        } else {
            l
        });
    }
    out
}

/// Shape a logical line piece by piece around the highlight, so the
/// highlight's bounds are known in the shaped text. Letters at the
/// highlight's edges do not join across it, which also marks the edge.
pub(super) fn shaped_with_highlight(
    line: &str,
    hl: Option<Range<usize>>,
) -> (String, Option<Range<usize>>) {
    let Some(h) = hl else {
        return (text::shape(line).into_owned(), None);
    };
    // Each piece shaped without padding; the line padded once, at its end.
    let mut out = text::shape_unpadded(&line[..h.start]);
    let start = out.len();
    out.push_str(&text::shape_unpadded(&line[h.clone()]));
    let end = out.len();
    out.push_str(&text::shape_unpadded(&line[h.end..]));
    let missing = text::width(line).saturating_sub(text::width(&out));
    out.extend(std::iter::repeat_n(' ', missing));
    (out, Some(start..end))
}

/// A pane with a title line. The one with focus is unmistakable, with or
/// without colour: a thick rule, a `◆` before the title, the title reversed.
fn pane(title: String, focused: bool, theme: Theme) -> Block<'static> {
    let b = Block::default().borders(Borders::TOP);
    if focused {
        b.title(Line::styled(format!("◆{title}"), theme.focused_title()))
            .border_type(BorderType::Thick)
            .border_style(theme.focused_border())
    } else {
        b.title(title).border_style(theme.dim())
    }
}

/// The rows of `inner` that show `total` lines of text, and the row kept
/// for the "more" marks when they do not all fit. The marks get a row of
/// their own: drawn over a line they would hide the start of a
/// right-to-left one (its first words), and terminals that reorder lines
/// themselves move them about.
pub fn text_rows(inner: Rect, total: usize) -> (Rect, Option<Rect>) {
    if total <= inner.height as usize || inner.height < 3 {
        return (inner, None);
    }
    let text = Rect {
        height: inner.height - 1,
        ..inner
    };
    let marks = Rect {
        y: inner.y + inner.height - 1,
        height: 1,
        ..inner
    };
    (text, Some(marks))
}

/// "↑ more" and "↓ more" where text scrolled off above or continues below,
/// right-aligned in the row `text_rows` kept for them.
fn scroll_marks(
    frame: &mut Frame,
    row: Option<Rect>,
    scroll: usize,
    scrolled: Scrolled,
    theme: Theme,
) {
    let Some(row) = row else {
        return;
    };
    let s = match (scroll.min(scrolled.max) > 0, scroll < scrolled.max) {
        (true, true) => "↑ ↓ more",
        (true, false) => "↑ more",
        (false, true) => "↓ more",
        (false, false) => return,
    };
    frame.render_widget(
        Paragraph::new(Line::styled(s.to_string(), theme.focused_title()))
            .alignment(ratatui::layout::Alignment::Right),
        row,
    );
}
