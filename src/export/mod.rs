//! Publishing verdicts: schema.org ClaimReview (what search engines and
//! fact-check aggregators read), an editor's Markdown report, CSV, an
//! Excel workbook and JSON. Pure functions from the desk to what goes out;
//! whatever a file holds leaves escaped for where it goes.

mod claimreview;
mod markdown;
mod sheet;

use serde_json::{Value, json};

use crate::model::Claim;
use crate::query::SourceTree;
use crate::store::Desk;

pub use claimreview::{ClaimReviews, claimreview, review_url, script_element, settings_problem};
pub use markdown::markdown;
pub use sheet::{csv, xlsx};

/// When the claim got its current status: the last history entry that set it.
pub fn verdict_date(claim: &Claim) -> Option<&str> {
    claim
        .history
        .iter()
        .rev()
        .find(|h| h.status == claim.status && h.status != h.previous())
        .map(|h| h.at.as_str())
}

/// JSON that is safe inside an HTML `<script>` element and in JavaScript
/// source: `<`, `>`, `&` and the line separators U+2028/2029 written as
/// escapes, which every JSON reader decodes to the same string (they only
/// ever stand inside strings), so a name holding `</script>` ends nothing.
pub fn safe_json(value: &Value) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('\n');
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
                    "at": h.at, "by": h.by, "status": h.status.key(), "previous": h.previous().key(),
                    "note": h.note, "evidence": h.evidence, "evidence_removed": h.evidence_removed,
                    "undo": h.undo,
                })).collect::<Vec<_>>(),
            }))
        })
        .collect();
    safe_json(&Value::Array(rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(sheet::csv_field("a \"b\""), "\"a \"\"b\"\"\"");
        assert_eq!(
            sheet::csv_field("=HYPERLINK(\"x\")"),
            "\"'=HYPERLINK(\"\"x\"\")\""
        );
        assert_eq!(sheet::csv_field("نص"), "\"نص\"");
    }

    #[test]
    fn json_for_a_script_element_cannot_close_it() {
        let v = json!({"name": "</script><script>alert(1)</script> & \u{2028}"});
        let s = safe_json(&v);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: Value = serde_json::from_str(&s).expect("still JSON");
        assert_eq!(back, v);
    }

    #[test]
    fn review_urls_join_with_one_slash() {
        use crate::model::ClaimId;
        let id = ClaimId("alb-03".into());
        assert_eq!(
            review_url("https://fc.example.org/reviews", &id),
            "https://fc.example.org/reviews/alb-03"
        );
        assert_eq!(
            review_url("https://fc.example.org/reviews/", &id),
            "https://fc.example.org/reviews/alb-03"
        );
    }

    #[test]
    fn markdown_escapes_what_would_render() {
        assert_eq!(
            markdown::inline("<script>a*b*</script>"),
            "&lt;script&gt;a\\*b\\*&lt;/script&gt;"
        );
        assert_eq!(markdown::line("# heading"), "\\# heading");
        assert_eq!(markdown::line("- item"), "\\- item");
        assert_eq!(markdown::line("12. item"), "12\\. item");
        assert_eq!(
            markdown::inline("[x](javascript:alert(1))"),
            "\\[x\\](javascript:alert(1))"
        );
    }
}
