//! Publishing verdicts: schema.org ClaimReview (what search engines and
//! fact-check aggregators read), an editor's Markdown report, CSV and JSON.
//! Pure functions from the desk to text.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::model::{Claim, Document, Scale, Source};
use crate::query::SourceTree;
use crate::scale::Rating;
use crate::store::Desk;

/// When the claim got its current status: the last history entry that set it.
pub fn verdict_date(claim: &Claim) -> Option<&str> {
    claim
        .history
        .iter()
        .rev()
        .find(|h| h.status == claim.status && h.status != h.previous)
        .map(|h| h.at.as_str())
}

/// Kinds of source that are one person rather than a body.
const PERSON_KINDS: &[&str] = &[
    "head-of-government",
    "head-of-state",
    "government-minister",
    "legislator",
    "spokesperson",
    "journalist",
    "person",
];

fn source_author(source: Option<&Source>, fallback: &str) -> Value {
    match source {
        Some(s) => {
            let kind = if PERSON_KINDS.contains(&s.kind.as_str()) {
                "Person"
            } else {
                "Organization"
            };
            json!({ "@type": kind, "name": s.name, "alternateName": s.name_original })
        }
        None => json!({ "@type": "Organization", "name": fallback }),
    }
}

/// The result of a ClaimReview export: the JSON-LD, and the claims left out with why.
pub struct ClaimReviewExport {
    pub json: String,
    pub exported: usize,
    pub without_verdict: usize,
    pub skipped: Vec<(String, String)>,
}

/// One ClaimReview per claim with a verdict, as a JSON-LD array.
pub fn claimreview(desk: &Desk) -> ClaimReviewExport {
    let settings = &desk.settings;
    let scale = &settings.rating_scale;
    let mut reviews = Vec::new();
    let mut skipped = Vec::new();
    let mut without_verdict = 0;
    for (r, c) in desk.claims() {
        let Some(doc) = desk.doc(r) else { continue };
        let Some(rating) = scale.rating(c.status) else {
            without_verdict += 1;
            continue;
        };
        let mut skip = |why: &str| skipped.push((c.id.0.clone(), why.to_string()));
        let Some(base) = settings.reviews_url.as_deref() else {
            skip("no reviews_url in claimdesk.yaml: the review has no URL to publish at");
            continue;
        };
        let Some(org) = &settings.organisation else {
            skip("no organisation in claimdesk.yaml: the review needs an author");
            continue;
        };
        let Some(date) = verdict_date(c) else {
            skip("no history entry records when the verdict was given");
            continue;
        };
        reviews.push(review(c, doc, base, org, date, rating, scale));
    }
    let exported = reviews.len();
    let json = serde_json::to_string_pretty(&Value::Array(reviews)).unwrap_or_else(|_| "[]".into());
    ClaimReviewExport {
        json: json + "\n",
        exported,
        without_verdict,
        skipped,
    }
}

fn review(
    c: &Claim,
    doc: &Document,
    base: &str,
    org: &crate::model::Organisation,
    date: &str,
    rating: &Rating,
    scale: &Scale,
) -> Value {
    let a = &doc.article;
    let mut review_rating = json!({ "@type": "Rating", "alternateName": rating.text });
    if let Some(v) = rating.value {
        review_rating["ratingValue"] = json!(v);
        review_rating["bestRating"] = json!(scale.best);
        review_rating["worstRating"] = json!(scale.worst);
    }
    let mut author = json!({ "@type": "Organization", "name": org.name });
    if let Some(url) = &org.url {
        author["url"] = json!(url);
    }
    let mut appearance = json!({
        "@type": "NewsArticle",
        "headline": a.title,
        "alternativeHeadline": a.title_en,
        "inLanguage": a.language,
        "datePublished": a.published,
        "publisher": { "@type": "Organization", "name": a.outlet },
    });
    if let Some(url) = &a.url {
        appearance["url"] = json!(url);
    }
    json!({
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": format!("{base}{}", c.id),
        "claimReviewed": c.text,
        "author": author,
        "datePublished": date.get(..10).unwrap_or(date),
        "reviewRating": review_rating,
        "itemReviewed": {
            "@type": "Claim",
            "author": source_author(doc.source(&c.source), &a.outlet),
            "datePublished": a.published.get(..10).unwrap_or(&a.published),
            "appearance": appearance,
        },
    })
}

/// An editor's report: per article, per source, each claim with its
/// translation, status, note and evidence.
pub fn markdown(desk: &Desk) -> String {
    let tree = SourceTree::of(desk);
    let mut out = String::new();
    for f in &desk.files {
        let a = &f.doc.article;
        let _ = writeln!(out, "# {}\n", a.title_en);
        let _ = writeln!(
            out,
            "{} · {} · {} · {}\n",
            a.title, a.outlet, a.author, a.published
        );
        for (_, source) in tree.depth_first() {
            let claims: Vec<&Claim> = f
                .doc
                .claims
                .iter()
                .filter(|c| c.source == source.id)
                .collect();
            if claims.is_empty() {
                continue;
            }
            let _ = writeln!(out, "## {} ({})\n", source.name, source.name_original);
            for c in claims {
                let _ = writeln!(
                    out,
                    "- **{}** `{}` (paragraph {})",
                    c.status, c.id, c.paragraph
                );
                let _ = writeln!(out, "  > {}", c.text);
                let _ = writeln!(out, "  - Translation: {}", c.translation);
                if let Some(n) = &c.note {
                    let _ = writeln!(out, "  - Note: {n}");
                }
                for e in &c.evidence {
                    let _ = writeln!(out, "  - Evidence: <{e}>");
                }
                if let Some(h) = c.history.last() {
                    let _ = writeln!(out, "  - Last change: {} by {}", h.at, h.by);
                }
            }
            out.push('\n');
        }
    }
    out
}

/// A spreadsheet cell: quoted, and defused when a spreadsheet would read it as a formula.
fn csv_field(s: &str) -> String {
    let defused = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", defused.replace('"', "\"\""))
}

const CSV_HEADER: [&str; 12] = [
    "id",
    "article",
    "source_id",
    "source",
    "status",
    "paragraph",
    "text",
    "translation",
    "note",
    "evidence",
    "last_changed",
    "last_changed_by",
];

/// One row per claim, RFC 4180 quoting, UTF-8.
pub fn csv(desk: &Desk) -> String {
    let tree = SourceTree::of(desk);
    let mut out = CSV_HEADER.join(",");
    out.push_str("\r\n");
    for (r, c) in desk.claims() {
        let Some(doc) = desk.doc(r) else { continue };
        let last = c.history.last();
        let row = [
            c.id.0.as_str(),
            &doc.article.id,
            &c.source.0,
            tree.name(&c.source),
            c.status.key(),
            &c.paragraph.to_string(),
            &c.text,
            &c.translation,
            c.note.as_deref().unwrap_or(""),
            &c.evidence.join(" "),
            last.map_or("", |h| h.at.as_str()),
            last.map_or("", |h| h.by.as_str()),
        ]
        .map(csv_field);
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Every claim with its article and source, for scripts.
pub fn json(desk: &Desk) -> String {
    let tree = SourceTree::of(desk);
    let rows: Vec<Value> = desk
        .claims()
        .filter_map(|(r, c)| {
            let doc = desk.doc(r)?;
            let source = tree.get(&c.source);
            Some(json!({
                "id": c.id.0,
                "article": { "id": doc.article.id, "title": doc.article.title, "title_en": doc.article.title_en,
                             "outlet": doc.article.outlet, "published": doc.article.published },
                "source": { "id": c.source.0, "name": source.map(|s| s.name.clone()),
                            "name_original": source.map(|s| s.name_original.clone()),
                            "kind": source.map(|s| s.kind.clone()),
                            "parent": source.and_then(|s| s.parent.as_ref().map(|p| p.0.clone())) },
                "paragraph": c.paragraph,
                "text": c.text,
                "translation": c.translation,
                "status": c.status.key(),
                "note": c.note,
                "evidence": c.evidence,
                "history": c.history.iter().map(|h| json!({
                    "at": h.at, "by": h.by, "status": h.status.key(), "previous": h.previous.key(),
                    "note": h.note, "evidence": h.evidence, "undo": h.undo,
                })).collect::<Vec<_>>(),
            }))
        })
        .collect();
    serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into()) + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_field("a \"b\""), "\"a \"\"b\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("نص"), "\"نص\"");
    }

    #[test]
    fn only_verdicts_have_ratings() {
        use crate::model::Status;
        let s = Scale::default();
        assert!(s.rating(Status::Unreviewed).is_none());
        assert!(s.rating(Status::InReview).is_none());
        assert_eq!(s.rating(Status::Verified).and_then(|r| r.value), Some(5));
        assert_eq!(s.rating(Status::False).and_then(|r| r.value), Some(1));
        let text = s.rating(Status::Unverifiable).map(|r| r.text.as_str());
        assert_eq!(text, Some("Unverifiable"));
    }
}
