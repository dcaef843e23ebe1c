//! The selected claim in full (detail pane and full-screen view) and the article view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Scrolled;
use super::para_lines;
use super::theme::{self, Theme};
use crate::app::{Action, App, Context, View, keymap};
use crate::text;

fn label(s: &str, theme: Theme) -> Line<'static> {
    Line::styled(s.to_string(), theme.title())
}

/// The lines of the selected claim's detail at `width`, and which of them
/// show an evidence link (line index, URL).
fn detail_lines(
    app: &App,
    theme: Theme,
    width: usize,
) -> (Vec<Line<'static>>, Vec<(usize, String)>) {
    let mut links = Vec::new();
    let Some(at) = app.selected_ref() else {
        return (vec![Line::from("no claim selected")], links);
    };
    let (Some(c), Some(doc)) = (app.session().desk().get(at), app.session().desk().doc(at)) else {
        return (Vec::new(), links);
    };
    let plain = Style::new();
    let wrap = |s: &str, style: Style| {
        para_lines(s, None, width, app.screen().display().bidi, style, style)
    };
    let mut out = vec![Line::from(vec![
        Span::styled(text::sanitize(&c.id.0).into_owned(), theme.title()),
        Span::raw("  "),
        Span::styled(
            format!("{} {}", theme::symbol(c.status), c.status.key()),
            theme.status(app.session().scale(), c.status),
        ),
    ])];
    let source = match doc.source(&c.source) {
        Some(s) => {
            let mut d = format!("Source: {}", s.names());
            if !s.kind.is_empty() {
                d.push_str(&format!(" · {}", s.kind));
            }
            if let Some(country) = &s.country {
                d.push_str(&format!(" · {country}"));
            }
            if let Some(p) = &s.parent {
                d.push_str(&format!(
                    " · part of {}",
                    app.session().catalog().tree().name(p)
                ));
            }
            d
        }
        None => format!("Source: {}", c.source),
    };
    let others = app.screen().others_on(&c.id);
    if !others.is_empty() {
        let who = format!("Also here: {}", others.join(", "));
        out.extend(wrap(&who, theme.title()));
    }
    out.extend(wrap(&source, plain));
    let title = doc.article.english_title();
    let where_ = match c.paragraph {
        Some(0) => format!("Headline of «{title}»"),
        Some(n) => format!("Paragraph {n} of «{title}»"),
        None => format!("In «{title}» (paragraph not given)"),
    };
    out.extend(wrap(&where_, theme.dim()));
    if let Some((lost, won)) = c.verdicts_differ() {
        // Made in two bureaus without seeing each other: the merge kept
        // the newer; an editor settles it by marking a verdict.
        let (tz, now) = (&app.screen().display().time_zone, jiff::Timestamp::now());
        let said = format!(
            "Verdicts differ: {} by {}, {}; and {} by {}, {} (newer, kept). Mark a verdict to settle.",
            lost.status,
            lost.who(),
            text::when(&lost.at, tz, now),
            won.status,
            won.who(),
            text::when(&won.at, tz, now)
        );
        out.extend(wrap(&said, theme.title()));
    }
    if c.is_candidate() {
        // Proposed by `claimdesk import`: say so, and what to do with it.
        let keys = |a: &Action| keymap::key_for(Context::List, a).unwrap_or_default();
        let hint = format!(
            "Candidate from import: {} accept · {} reject · {} {} wording, {} {} a word · {} who said it · {} translate · {} link",
            keys(&Action::Accept),
            keys(&Action::Reject),
            keys(&Action::Widen),
            keys(&Action::Narrow),
            keys(&Action::TrimFirstWord),
            keys(&Action::TrimLastWord),
            keys(&Action::Reattribute),
            keys(&Action::EditTranslation),
            keys(&Action::Link)
        );
        out.extend(wrap(&hint, theme.title()));
    }
    out.push(Line::from(""));
    out.extend(wrap(&c.text, plain));
    out.push(Line::from(""));
    out.extend(wrap(c.translation_or_pending(), plain));
    out.push(Line::from(""));
    let linked = c.linked();
    if !linked.is_empty() {
        // Reports of one event repeat each other: one verdict informs the
        // other. What a reviewer linked, and what import found with how
        // much of its words it shares, each with verdict, source, article.
        let jump = keymap::key_for(Context::List, &Action::JumpLinked).unwrap_or_default();
        out.push(label(
            &format!("Same claim elsewhere ({jump} goes there)"),
            theme,
        ));
        let desk = app.session().desk();
        let same = c.ids_under(crate::model::SAME_AS);
        let seen = c.ids_under(crate::model::SEEN_BEFORE);
        let scores = c.seen_before_scores();
        for id in &linked {
            let how = match seen.iter().position(|s| s == id) {
                _ if same.contains(id) => "linked".to_string(),
                Some(i) => match scores.get(i) {
                    Some(s) => format!("seen before, match {s:.2}"),
                    None => "seen before".to_string(),
                },
                None => "seen before".to_string(),
            };
            let s = match desk.find(id).map(|r| (desk.get(r), desk.article(r))) {
                Some((Some(other), article)) => format!(
                    "{id} ({how}) · {} · {} · «{}»: {}",
                    other.status.key(),
                    app.session().catalog().tree().name(&other.source),
                    article.map_or("?".to_string(), |a| a.english_title().to_string()),
                    other.text
                ),
                _ => format!("{id} ({how}) · not on this desk"),
            };
            out.extend(wrap(&s, plain));
        }
    }
    out.push(label("Note", theme));
    out.extend(wrap(c.note.as_deref().unwrap_or("-"), plain));
    out.push(label("Evidence", theme));
    if c.evidence.is_empty() {
        out.push(Line::from("-"));
    }
    for e in &c.evidence {
        let lines = wrap(e, plain);
        links.extend((out.len()..out.len() + lines.len()).map(|i| (i, e.clone())));
        out.extend(lines);
    }
    out.push(label("History", theme));
    if c.history.is_empty() {
        out.push(Line::from("-"));
    }
    let (tz, now) = (&app.screen().display().time_zone, jiff::Timestamp::now());
    for h in c.history.iter().rev() {
        let s = format!("{} · {}: {}", text::when(&h.at, tz, now), h.who(), h.what());
        out.extend(wrap(&s, theme.dim()));
    }
    (out, links)
}

fn block(app: &App, theme: Theme, focused: bool) -> ratatui::widgets::Block<'static> {
    let title = match app.screen().view() {
        View::Claim { .. } => match keymap::key_for(Context::Claim, &Action::Back) {
            Some(k) => format!(" Claim · {k} back "),
            None => " Claim ".into(),
        },
        _ => " Detail ".into(),
    };
    super::pane(title, focused, theme)
}

/// What the detail in `area` shows.
struct Laid {
    /// Where the text goes.
    inner: Rect,
    /// The row kept for the "more" marks, when the text does not fit.
    marks: Option<Rect>,
    lines: Vec<Line<'static>>,
    links: Vec<(usize, String)>,
    scroll: usize,
}

fn layout(app: &App, theme: Theme, area: Rect, scroll: usize) -> Laid {
    let pane = block(app, theme, false).inner(area);
    let (lines, links) = detail_lines(app, theme, pane.width.max(1) as usize);
    let (inner, marks) = super::text_rows(pane, lines.len());
    let max_scroll = lines.len().saturating_sub(inner.height as usize);
    let scroll = scroll.min(max_scroll);
    Laid {
        inner,
        marks,
        lines,
        links,
        scroll,
    }
}

pub fn render(
    app: &App,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
    scroll: usize,
    focused: bool,
) -> Scrolled {
    frame.render_widget(block(app, theme, focused), area);
    let laid = layout(app, theme, area, scroll);
    if laid.inner.width == 0 || laid.inner.height == 0 {
        return Scrolled::default();
    }
    let scrolled = Scrolled::of(laid.lines.len(), laid.inner.height as usize);
    let shown: Vec<Line> = laid.lines.into_iter().skip(laid.scroll).collect();
    frame.render_widget(Paragraph::new(shown), laid.inner);
    super::scroll_marks(frame, laid.marks, laid.scroll, scrolled, theme);
    scrolled
}

/// Where the detail in `area` shows evidence URLs, for the terminal edge to
/// make them OSC 8 hyperlinks over the very same cells.
pub fn links(app: &App, theme: Theme, area: Rect, scroll: usize) -> Vec<super::Link> {
    let Laid {
        inner,
        lines,
        links,
        scroll,
        ..
    } = layout(app, theme, area, scroll);
    links
        .into_iter()
        .filter(|(i, _)| *i >= scroll && *i - scroll < inner.height as usize)
        .filter_map(|(i, url)| {
            let text: String = lines
                .get(i)?
                .spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect();
            let text = text::truncate(&text, inner.width as usize).into_owned();
            Some(super::Link {
                x: inner.x,
                y: inner.y + (i - scroll) as u16,
                text,
                url,
            })
        })
        .collect()
}

/// The widest column the article is set in: lines longer than this are
/// hard to read, Arabic or not.
const ARTICLE_WIDTH: u16 = 100;
/// From this width the claim sits in a panel beside the article.
const SIDE_PANEL_FROM: u16 = 140;

/// The article, paragraph by paragraph, with the selected claim's words
/// highlighted in place; beside it (wide) or below it (narrow), the claim:
/// id, status, source, translation.
pub fn article(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let keys = |a: &Action| keymap::key_for(Context::Article, a).unwrap_or_default();
    let title = format!(
        " Article · {}/{} next claim · {} back ",
        keys(&Action::Down),
        keys(&Action::Up),
        keys(&Action::Back)
    );
    let block = super::pane(title, true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let Some(at) = app.selected_ref() else {
        return frame.render_widget(Paragraph::new("no claim selected"), inner);
    };
    let Some(c) = app.session().desk().get(at) else {
        return;
    };
    let a = match app.session().desk().article(at) {
        Ok(a) => a,
        Err(why) => {
            let why = Paragraph::new(text::sanitize(why).into_owned()).style(theme.error());
            return frame.render_widget(why.wrap(ratatui::widgets::Wrap { trim: true }), inner);
        }
    };
    let (text_area, panel) = if inner.width >= SIDE_PANEL_FROM {
        let [t, p] = ratatui::layout::Layout::horizontal([
            ratatui::layout::Constraint::Min(0),
            ratatui::layout::Constraint::Length(40),
        ])
        .areas(inner);
        (t, Some(p))
    } else if inner.height >= 14 {
        let [t, p] = ratatui::layout::Layout::vertical([
            ratatui::layout::Constraint::Min(0),
            ratatui::layout::Constraint::Length(6),
        ])
        .areas(inner);
        (t, Some(p))
    } else {
        (inner, None)
    };
    // The article's own column, centred.
    let col = text_area.width.min(ARTICLE_WIDTH);
    let column = Rect::new(
        text_area.x + (text_area.width - col) / 2,
        text_area.y,
        col,
        text_area.height,
    );
    let w = column.width as usize;
    let plain = Style::new();
    let claim_text = text::sanitize(&c.text);
    let mut lines: Vec<Line> = Vec::new();
    let mut target = 0;
    let placed = a.paragraph_of(c);
    let headings = std::iter::once(&a.title).chain(a.paragraphs.iter());
    for (n, p) in headings.enumerate() {
        let clean = text::sanitize(p);
        let hl = if Some(n) == placed {
            target = lines.len();
            clean
                .find(claim_text.as_ref())
                .map(|s| s..s + claim_text.len())
        } else {
            None
        };
        let base = if n == 0 { theme.title() } else { plain };
        lines.extend(para_lines(
            p,
            hl,
            w,
            app.screen().display().bidi,
            base,
            theme.highlight(),
        ));
        lines.push(Line::from(""));
    }
    // Keep the claim's paragraph in the upper third of the view.
    let (column, marks) = super::text_rows(column, lines.len());
    let scrolled = Scrolled::of(lines.len(), column.height as usize);
    let scroll = target
        .saturating_sub(column.height as usize / 3)
        .min(scrolled.max);
    let shown: Vec<Line> = lines.into_iter().skip(scroll).collect();
    frame.render_widget(Paragraph::new(shown), column);
    super::scroll_marks(frame, marks, scroll, scrolled, theme);
    if let Some(p) = panel {
        claim_panel(app, c, theme, frame, p);
    }
}

/// The claim the article view highlights: id, status, source, translation.
fn claim_panel(app: &App, c: &crate::model::Claim, theme: Theme, frame: &mut Frame, area: Rect) {
    let block = ratatui::widgets::Block::default()
        .borders(ratatui::widgets::Borders::TOP | ratatui::widgets::Borders::LEFT)
        .title(format!(" {} ", text::sanitize(&c.id.0)))
        .border_style(theme.dim());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = (inner.width as usize).max(1);
    let bidi = app.screen().display().bidi;
    let scale = app.session().scale();
    let mut lines = vec![Line::styled(
        format!("{} {}", theme::symbol(c.status), c.status.key()),
        theme.status(scale, c.status),
    )];
    let source = app.session().catalog().tree().name(&c.source);
    lines.extend(para_lines(
        source,
        None,
        w,
        bidi,
        theme.title(),
        theme.title(),
    ));
    let translation = if c.translation.trim().is_empty() {
        "(translation pending)"
    } else {
        c.translation.as_str()
    };
    lines.extend(para_lines(
        translation,
        None,
        w,
        bidi,
        theme.dim(),
        theme.dim(),
    ));
    if let Some(n) = &c.note {
        lines.push(Line::from(""));
        lines.extend(para_lines(
            &format!("Note: {n}"),
            None,
            w,
            bidi,
            Style::new(),
            Style::new(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
