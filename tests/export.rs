//! `claimdesk export`: ClaimReview JSON-LD field by field, and the reports.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use serde_json::Value;

/// A desk copy with three verdicts and one claim in review.
fn reviewed_desk() -> tempfile::TempDir {
    let dir = copy_of_claims();
    for args in [
        &[
            "set",
            "alb-01",
            "verified",
            "--evidence",
            "https://example.org/a",
        ][..],
        &[
            "set",
            "alb-09",
            "false",
            "--note",
            "=SUM(A1) no such finding",
        ],
        &["set", "alb-11", "misleading"],
        &["set", "alb-12", "in-review"],
    ] {
        let out = claimdesk(dir.path(), args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    dir
}

fn export(dir: &Path, format: &str) -> (String, String) {
    let out = claimdesk(dir, &["export", "--format", format]);
    assert!(out.status.success(), "{}", stderr(&out));
    (stdout(&out), stderr(&out))
}

#[test]
fn claimreview_has_every_field_google_asks_for() {
    let dir = reviewed_desk();
    let (json, err) = export(dir.path(), "claimreview");
    assert!(
        err.contains("exported 3 review(s); 50 claim(s) have no verdict yet"),
        "{err}"
    );
    let reviews: Value = serde_json::from_str(&json).expect("JSON");
    let reviews = reviews.as_array().expect("an array");
    assert_eq!(reviews.len(), 3);

    let r = reviews
        .iter()
        .find(|r| r["url"] == "https://factcheck.example.org/reviews/alb-01")
        .expect("alb-01");
    assert_eq!(r["@context"], "https://schema.org");
    assert_eq!(r["@type"], "ClaimReview");
    assert_eq!(r["claimReviewed"], "بعد هجوم إلكتروني ثان");
    assert_eq!(r["author"]["@type"], "Organization");
    assert_eq!(r["author"]["name"], "Example Fact-Check Desk");
    assert_eq!(r["author"]["url"], "https://factcheck.example.org/");
    let date = r["datePublished"].as_str().expect("date");
    assert_eq!(date.len(), 10, "an ISO date: {date}");
    assert!(date.starts_with("20"));
    let rating = &r["reviewRating"];
    assert_eq!(rating["@type"], "Rating");
    assert_eq!(rating["ratingValue"], 5);
    assert_eq!(rating["bestRating"], 5);
    assert_eq!(rating["worstRating"], 1);
    assert_eq!(rating["alternateName"], "True");
    let item = &r["itemReviewed"];
    assert_eq!(item["@type"], "Claim");
    assert_eq!(item["author"]["@type"], "Organization");
    assert_eq!(item["author"]["name"], "24.ae");
    assert_eq!(item["datePublished"], "2022-09-12");
    let appearance = &item["appearance"];
    assert_eq!(
        appearance["headline"],
        "بعد هجوم إلكتروني ثان.. هل يتحرك حلفاء ألبانيا ضد إيران؟"
    );
    assert_eq!(appearance["publisher"]["name"], "24.ae");
    assert_eq!(appearance["datePublished"], "2022-09-12T16:40:00+04:00");

    // A head of government is a Person; a false verdict is the worst rating.
    let rama = reviews
        .iter()
        .find(|r| r["url"].as_str().is_some_and(|u| u.ends_with("alb-11")))
        .expect("alb-11");
    assert_eq!(rama["itemReviewed"]["author"]["@type"], "Person");
    assert_eq!(
        rama["itemReviewed"]["author"]["name"],
        "Prime Minister Edi Rama"
    );
    assert_eq!(rama["reviewRating"]["alternateName"], "Misleading");
    let f = reviews
        .iter()
        .find(|r| r["url"].as_str().is_some_and(|u| u.ends_with("alb-09")))
        .expect("alb-09");
    assert_eq!(f["reviewRating"]["ratingValue"], 1);
    assert_eq!(
        f["itemReviewed"]["author"]["name"],
        "Albanian Interior Ministry"
    );
}

#[test]
fn claims_that_cannot_be_exported_are_listed_with_the_reason() {
    let dir = reviewed_desk();
    fs::remove_file(dir.path().join("claimdesk.yaml")).expect("remove settings");
    let (json, err) = export(dir.path(), "claimreview");
    assert_eq!(
        serde_json::from_str::<Value>(&json).expect("JSON"),
        serde_json::json!([])
    );
    for id in ["alb-01", "alb-09", "alb-11"] {
        assert!(
            err.contains(&format!("not exported: {id}: no reviews_url")),
            "{err}"
        );
    }
    assert!(
        !err.contains("alb-12"),
        "a claim in review is not a verdict: {err}"
    );
}

#[test]
fn markdown_report_goes_by_article_and_source() {
    let dir = reviewed_desk();
    let (md, _) = export(dir.path(), "markdown");
    assert!(md.starts_with("# After a second cyberattack"), "{md}");
    let interior = md
        .find("## Albanian Interior Ministry")
        .expect("source heading");
    let verdict = md.find("- **false** `alb-09`").expect("the claim");
    assert!(interior < verdict);
    assert!(md.contains("Translation: Preliminary findings show"));
    assert!(md.contains("Note: =SUM(A1) no such finding"));
    assert!(md.contains("Evidence: <https://example.org/a>"));
}

#[test]
fn csv_has_a_row_per_claim_and_defuses_formulas() {
    let dir = reviewed_desk();
    let (csv, _) = export(dir.path(), "csv");
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 1 + 53);
    assert!(lines[0].starts_with("id,article,source_id,source,status"));
    let row = lines
        .iter()
        .find(|l| l.starts_with("\"alb-09\""))
        .expect("row");
    assert!(row.contains("\"false\""));
    assert!(row.contains("\"'=SUM(A1) no such finding\""), "{row}");
}

#[test]
fn json_export_and_out_file() {
    let dir = reviewed_desk();
    let out_path = dir.path().join("export.json");
    let out = claimdesk(
        dir.path(),
        &[
            "export",
            "--format",
            "json",
            "--out",
            out_path.to_str().expect("utf-8"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let rows: Value =
        serde_json::from_str(&fs::read_to_string(&out_path).expect("written")).expect("JSON");
    let rows = rows.as_array().expect("array");
    assert_eq!(rows.len(), 53);
    let first = &rows[0];
    assert_eq!(first["id"], "alb-01");
    assert_eq!(first["source"]["name"], "24.ae");
    assert_eq!(first["history"][0]["status"], "verified");
    assert_eq!(first["history"][0]["by"], "tester");
}

#[test]
fn claimreview_uses_the_desks_own_rating_scale() {
    let dir = copy_of_claims();
    let settings = fs::read_to_string(dir.path().join("claimdesk.yaml")).expect("read");
    let head = settings.split("rating_scale:").next().expect("head");
    let scale = "rating_scale:
  best: 3
  worst: 1
  statuses:
    - {key: unreviewed, label: Unreviewed, digit: 1}
    - {key: half-true, label: Half true, digit: 2, color: yellow, rating: {value: 2, text: Half true}}
";
    fs::write(dir.path().join("claimdesk.yaml"), format!("{head}{scale}")).expect("write");
    assert!(
        claimdesk(dir.path(), &["set", "alb-05", "half_true"])
            .status
            .success()
    );
    let bad = claimdesk(dir.path(), &["set", "alb-06", "verified"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("valid statuses: unreviewed, half-true"),
        "{}",
        stderr(&bad)
    );
    let (json, _) = export(dir.path(), "claimreview");
    let reviews: Value = serde_json::from_str(&json).expect("JSON");
    let rating = &reviews[0]["reviewRating"];
    assert_eq!(rating["ratingValue"], 2);
    assert_eq!(rating["bestRating"], 3);
    assert_eq!(rating["worstRating"], 1);
    assert_eq!(rating["alternateName"], "Half true");
}
