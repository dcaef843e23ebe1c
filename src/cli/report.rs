//! What the read-only commands print: `list`, `show`, `stats` and the
//! exports, as text for a terminal or a pipe.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::{ExportFormat, Failure};
use crate::model::{ClaimId, Status};
use crate::query::{Catalog, Filter, SourceTree};
use crate::store::Desk;
use crate::text::{self, Bidi};

/// The export's text; what was left out of a ClaimReview export goes to stderr.
pub(super) fn export(
    desk: &Desk,
    format: ExportFormat,
    only: Option<&ClaimId>,
) -> Result<String, Failure> {
    Ok(match format {
        ExportFormat::Claimreview => {
            let r = crate::export::claimreview(desk, only).map_err(Failure::data)?;
            if r.reviews.is_empty() {
                return Err(Failure::data(super::nothing_to_export(&r)));
            }
            eprintln!(
                "exported {} review(s); {} claim(s) have no verdict yet",
                r.reviews.len(),
                r.without_verdict
            );
            for (id, why) in &r.skipped {
                eprintln!("not exported: {}: {}", text::sanitize(id), why);
            }
            let json = match (only, r.reviews.first()) {
                (Some(_), Some((_, one))) => crate::export::safe_json(one),
                _ => r.array(),
            };
            escape_invisible_in_json(&json)
        }
        ExportFormat::Markdown => crate::export::markdown(desk),
        ExportFormat::Csv => crate::export::csv(desk),
        ExportFormat::Json => escape_invisible_in_json(&crate::export::json(desk)),
        // Written elsewhere (binary, or one file a review).
        ExportFormat::Xlsx | ExportFormat::ClaimreviewHtml => String::new(),
    })
}

pub(super) fn list(
    desk: &Desk,
    source: Option<&str>,
    status: Option<Status>,
    json: bool,
    width: usize,
    bidi: Bidi,
) -> Result<String, Failure> {
    let tree = SourceTree::of(desk);
    let sources = match source {
        Some(s) => {
            let found = tree.matching(s);
            if found.is_empty() {
                let names: Vec<&str> = tree.sources.keys().map(|k| k.0.as_str()).collect();
                let hint = text::closest(s, names.iter().copied())
                    .map(|n| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default();
                return Err(Failure::usage(format!(
                    "no source matches `{s}`{hint}; `claimdesk stats` lists them"
                )));
            }
            Some(found)
        }
        None => None,
    };
    let filter = Filter {
        sources,
        statuses: status.map(|s| HashSet::from([s])),
        ..Filter::default()
    };
    let hits = Catalog::without_index(desk).filter(desk, &filter);
    if json {
        let rows: Vec<serde_json::Value> = hits
            .iter()
            .filter_map(|r| Some((desk.get(*r)?, desk.doc(*r)?)))
            .map(|(c, doc)| {
                serde_json::json!({
                    "id": c.id.0,
                    "source": tree.name(&c.source),
                    "source_id": c.source.0,
                    "status": c.status.key(),
                    "text": c.text,
                    "translation": c.translation,
                    "paragraph": c.paragraph,
                    "article": doc.article.id,
                })
            })
            .collect();
        let s = serde_json::to_string_pretty(&rows)
            .map_err(|e| Failure::data(format!("cannot encode JSON: {e}")))?;
        let mut s = escape_invisible_in_json(&s);
        s.push('\n');
        return Ok(s);
    }
    // Source names get the room they need, up to 30% of a wide terminal.
    let longest = hits
        .iter()
        .filter_map(|r| desk.get(*r))
        .map(|c| text::width(&text::sanitize(tree.name(&c.source))))
        .max()
        .unwrap_or(0);
    // The ID column fits the ids listed.
    let idw = (hits.iter().filter_map(|r| desk.head(*r)))
        .map(|c| text::width(&text::sanitize(&c.id.0)))
        .max()
        .unwrap_or(0)
        .clamp(2, 64);
    let stw = 12;
    let srcw = longest.clamp(6, (width * 3 / 10).max(22));
    let textw = width.saturating_sub(idw + srcw + stw + 6).max(10);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}  {}  {}  TEXT",
        text::fit("ID", idw),
        text::fit("SOURCE", srcw),
        text::fit("STATUS", stw)
    );
    for c in hits.iter().filter_map(|r| desk.get(*r)) {
        let _ = writeln!(
            s,
            "{}  {}  {}  {}",
            text::fit(&text::sanitize(&c.id.0), idw),
            text::fit_words(&text::sanitize(tree.name(&c.source)), srcw),
            text::fit(c.status.key(), stw),
            text::cell(&c.text, textw, bidi)
        );
    }
    let _ = writeln!(s, "{} claim(s)", hits.len());
    Ok(s)
}

/// serde_json escapes only C0 controls. C1 controls (some terminals read
/// U+009B as CSI) and bidi overrides could still act on a terminal the JSON
/// is printed to; write them as `\uXXXX`, which every JSON reader decodes to
/// the same string.
pub(super) fn escape_invisible_in_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        // serde_json has escaped the C0 controls already; the rest go here.
        if text::is_unsafe(c) && !c.is_ascii() {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// Lines of a labelled, wrapped field for `show`.
fn field(out: &mut String, label: &str, value: &str, width: usize, bidi: Bidi) {
    let indent = 13;
    // A note's line breaks are line breaks.
    let lines: Vec<String> = value
        .split('\n')
        .flat_map(|part| text::layout(part, width.saturating_sub(indent).max(20), bidi).0)
        .collect();
    for (i, l) in lines.iter().enumerate() {
        let head = if i == 0 { label } else { "" };
        let _ = writeln!(out, "{head:<indent$}{l}");
    }
}

pub(super) fn show(desk: &Desk, id: &str, width: usize, bidi: Bidi) -> Result<String, Failure> {
    let at = desk.resolve(id)?;
    let (Some(c), Some(doc)) = (desk.get(at), desk.doc(at)) else {
        return Err(Failure::data(format!("claim `{id}` could not be read")));
    };
    let tree = SourceTree::of(desk);
    let mut s = String::new();
    let _ = writeln!(s, "{}  [{}]", text::sanitize(&c.id.0), c.status);
    let src = match doc.source(&c.source) {
        Some(src) => {
            let mut d = src.names();
            if !src.kind.is_empty() {
                let _ = write!(d, " - {}", src.kind);
            }
            if let Some(country) = &src.country {
                let _ = write!(d, ", {country}");
            }
            if let Some(p) = &src.parent {
                let _ = write!(d, "; part of {}", tree.name(p));
            }
            d
        }
        None => c.source.0.to_string(),
    };
    field(&mut s, "Source:", &src, width, bidi);
    let article = format!(
        "{} ({}, {})",
        doc.article.english_title(),
        doc.article.outlet,
        doc.article.published
    );
    field(&mut s, "Article:", &article, width, bidi);
    let para = match c.paragraph {
        Some(0) => "headline".to_string(),
        Some(n) => n.to_string(),
        None => "not given".to_string(),
    };
    field(&mut s, "Paragraph:", &para, width, bidi);
    field(&mut s, "Text:", &c.text, width, bidi);
    field(&mut s, "Translation:", &c.translation, width, bidi);
    field(
        &mut s,
        "Note:",
        c.note.as_deref().unwrap_or("-"),
        width,
        bidi,
    );
    if c.evidence.is_empty() {
        field(&mut s, "Evidence:", "-", width, bidi);
    }
    for (i, e) in c.evidence.iter().enumerate() {
        field(
            &mut s,
            if i == 0 { "Evidence:" } else { "" },
            e,
            width,
            bidi,
        );
    }
    let tz = crate::config::time_zone(&crate::config::ProcessEnv);
    let now = jiff::Timestamp::now();
    if let Some((lost, won)) = c.verdicts_differ() {
        let said = format!(
            "{} by {}, {}; {} by {}, {} (newer, kept); mark a verdict to settle",
            lost.status,
            lost.who(),
            text::when(&lost.at, &tz, now),
            won.status,
            won.who(),
            text::when(&won.at, &tz, now)
        );
        field(&mut s, "Differ:", &said, width, bidi);
    }
    if c.history.is_empty() {
        field(&mut s, "History:", "-", width, bidi);
    }
    // Newest first, as the desk shows it, in the reader's time zone.
    for (i, h) in c.history.iter().rev().enumerate() {
        let line = format!(
            "{} · {}: {}",
            text::when(&h.at, &tz, now),
            h.who(),
            h.what()
        );
        field(
            &mut s,
            if i == 0 { "History:" } else { "" },
            &line,
            width,
            bidi,
        );
    }
    Ok(s)
}

/// The source x status matrix, from the same counts as the desk's stats
/// view: a source counts its sub-sources, as filtering by it does.
pub(super) fn stats(desk: &Desk, width: usize) -> String {
    let scale = &desk.settings.rating_scale;
    let rows = Catalog::without_index(desk).stats_rows(desk);
    let namew = width
        .saturating_sub(7 * (scale.len() + 2) + 1)
        .clamp(16, 40);
    let mut s = String::new();
    let _ = write!(s, "{}", text::fit("SOURCE (with sub-sources)", namew));
    for d in &scale.statuses {
        let _ = write!(s, " {:>6}", text::truncate(&text::sanitize(&d.label), 6));
    }
    let _ = writeln!(s, " {:>6} {:>6}", "total", "own");
    for row in &rows {
        let name = match row.source {
            Some(_) => format!("{}{}", "  ".repeat(row.depth), text::sanitize(&row.name)),
            None => "all sources".to_string(),
        };
        let _ = write!(s, "{}", text::fit(&name, namew));
        for n in &row.counts {
            let _ = write!(s, " {n:>6}");
        }
        let _ = writeln!(s, " {:>6} {:>6}", row.total(), row.own);
    }
    if let Some(all) = rows.last() {
        let _ = writeln!(
            s,
            "{} of {} claims have a verdict; \"own\" counts a source without its sub-sources",
            all.reviewed,
            all.total()
        );
    }
    s
}
