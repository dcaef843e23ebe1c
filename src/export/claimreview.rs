//! schema.org ClaimReview JSON-LD: what search engines and fact-check
//! aggregators read, safe to paste into a page's `<script>` element.

use serde_json::{Value, json};

use super::{safe_json, verdict_date};
use crate::model::{Claim, ClaimId, Document, Organisation, Scale, Source};
use crate::scale::Rating;
use crate::store::Desk;

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

/// The settings a publisher must make their own before publishing.
const PLACEHOLDER_HOSTS: &[&str] = &["example.org", "example.com", "example.net"];

fn is_placeholder(url: &str) -> bool {
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or(url)
        .split(['/', ':', '?', '#'])
        .next()
        .unwrap_or("");
    PLACEHOLDER_HOSTS
        .iter()
        .any(|p| host == *p || host.ends_with(&format!(".{p}")))
}

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

/// A review's URL: the desk's base for reviews, then the claim's id, as a
/// URL (one `/` between them, whether the base ends with one or not).
pub fn review_url(base: &str, id: &ClaimId) -> String {
    format!("{}/{}", base.trim_end_matches('/'), id)
}

/// The reviews of a ClaimReview export, each with its claim.
pub struct ClaimReviews {
    pub reviews: Vec<(ClaimId, Value)>,
    pub without_verdict: usize,
    /// Claims left out, and why.
    pub skipped: Vec<(String, String)>,
}

impl ClaimReviews {
    /// All reviews as one JSON-LD array, safe to embed in HTML.
    pub fn array(&self) -> String {
        let all: Vec<&Value> = self.reviews.iter().map(|(_, v)| v).collect();
        safe_json(&Value::Array(all.into_iter().cloned().collect()))
    }
}

/// Why nothing can be published yet.
pub fn settings_problem(desk: &Desk) -> Option<String> {
    let s = &desk.settings;
    let org = s.organisation.as_ref();
    let placeholder_org = org.is_none_or(|o| {
        o.name.trim().is_empty()
            || o.name == "Example Fact-Check Desk"
            || o.url.as_deref().is_some_and(is_placeholder)
    });
    let placeholder_url = s.reviews_url.as_deref().is_none_or(is_placeholder);
    (placeholder_org || placeholder_url).then(|| {
        "claimdesk.yaml still has the shipped example organisation or reviews_url: put your \
         organisation's name and site under `organisation:` (name, url) and the address your \
         reviews are published under as `reviews_url:`, then export again"
            .to_string()
    })
}

/// One ClaimReview per claim with a verdict (or only `only`).
pub fn claimreview(desk: &Desk, only: Option<&ClaimId>) -> Result<ClaimReviews, String> {
    if let Some(why) = settings_problem(desk) {
        return Err(why);
    }
    let settings = &desk.settings;
    let scale = &settings.rating_scale;
    let (Some(base), Some(org)) = (settings.reviews_url.as_deref(), &settings.organisation) else {
        return Err("claimdesk.yaml needs `organisation` and `reviews_url`".into());
    };
    let mut out = ClaimReviews {
        reviews: Vec::new(),
        without_verdict: 0,
        skipped: Vec::new(),
    };
    for (r, c) in desk.claims() {
        if only.is_some_and(|id| *id != c.id) {
            continue;
        }
        let Some(doc) = desk.doc(r) else { continue };
        let Some(rating) = scale.rating(c.status) else {
            out.without_verdict += 1;
            continue;
        };
        let Some(date) = verdict_date(c) else {
            out.skipped.push((
                c.id.0.to_string(),
                "no history entry records when the verdict was given".into(),
            ));
            continue;
        };
        let review = review(c, doc, base, org, date, rating, scale);
        out.reviews.push((c.id.clone(), review));
    }
    Ok(out)
}

fn review(
    c: &Claim,
    doc: &Document,
    base: &str,
    org: &Organisation,
    date: &str,
    rating: &Rating,
    scale: &Scale,
) -> Value {
    let a = &doc.article;
    let mut review_rating = json!({
        "@type": "Rating",
        "name": rating.text,
        "alternateName": rating.text,
    });
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
    let mut item = json!({
        "@type": "Claim",
        "author": source_author(doc.source(&c.source), &a.outlet),
        "datePublished": a.published.get(..10).unwrap_or(&a.published),
    });
    if let Some(url) = &a.url {
        appearance["url"] = json!(url);
        item["firstAppearance"] = json!({
            "@type": "CreativeWork",
            "url": url,
            "headline": a.title,
        });
    }
    item["appearance"] = appearance;
    json!({
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": review_url(base, &c.id),
        "claimReviewed": c.text,
        "author": author,
        "datePublished": date.get(..10).unwrap_or(date),
        "reviewRating": review_rating,
        "itemReviewed": item,
    })
}

/// One review as the `<script>` element a publisher pastes into its page.
pub fn script_element(review: &Value) -> String {
    format!(
        "<script type=\"application/ld+json\">\n{}\n</script>\n",
        safe_json(review).trim_end()
    )
}
