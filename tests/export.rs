//! `claimdesk export`: ClaimReview JSON-LD field by field, and the reports.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use serde_json::Value;

/// The shipped settings with a publisher's own organisation and reviews
/// address (the shipped ones are placeholders, which export refuses);
/// the reviews address without a trailing slash, as people write it.
fn publish_as_balkan_facts(dir: &Path) {
    let path = dir.join("claimdesk.yaml");
    let text = fs::read_to_string(&path).expect("settings");
    let text = text
        .replace(
            "reviews_url: https://factcheck.example.org/reviews/",
            "reviews_url: https://balkanfacts.al/reviews",
        )
        .replace("name: Example Fact-Check Desk", "name: Balkan Fact Desk")
        .replace(
            "  url: https://factcheck.example.org/",
            "  url: https://balkanfacts.al/",
        );
    assert!(
        text.contains("balkanfacts.al/reviews\n"),
        "the shipped settings changed"
    );
    fs::write(path, text).expect("settings");
}

/// A desk copy with three verdicts and one claim in review.
fn reviewed_desk() -> tempfile::TempDir {
    let dir = copy_of_claims();
    publish_as_balkan_facts(dir.path());
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
        err.contains("exported 3 review(s); 51 claim(s) have no verdict yet"),
        "{err}"
    );
    let reviews: Value = serde_json::from_str(&json).expect("JSON");
    let reviews = reviews.as_array().expect("an array");
    assert_eq!(reviews.len(), 3);

    let r = reviews
        .iter()
        .find(|r| r["url"] == "https://balkanfacts.al/reviews/alb-01")
        .expect("alb-01");
    assert_eq!(r["@context"], "https://schema.org");
    assert_eq!(r["@type"], "ClaimReview");
    assert_eq!(r["claimReviewed"], "بعد هجوم إلكتروني ثان");
    assert_eq!(r["author"]["@type"], "Organization");
    assert_eq!(r["author"]["name"], "Balkan Fact Desk");
    assert_eq!(r["author"]["url"], "https://balkanfacts.al/");
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
fn nothing_is_published_under_the_shipped_example_organisation() {
    let dir = reviewed_desk();
    for settings in ["shipped", "none"] {
        match settings {
            "shipped" => {
                fs::copy(
                    Path::new(SHIPPED).join("claimdesk.yaml"),
                    dir.path().join("claimdesk.yaml"),
                )
                .expect("copy");
            }
            _ => fs::remove_file(dir.path().join("claimdesk.yaml")).expect("remove"),
        }
        let out = claimdesk(dir.path(), &["export", "--format", "claimreview"]);
        assert_eq!(out.status.code(), Some(1), "{settings}");
        assert!(stdout(&out).is_empty());
        let err = stderr(&out);
        assert!(
            err.contains("claimdesk.yaml") && err.contains("reviews_url"),
            "{err}"
        );
    }
}

#[test]
fn an_export_with_nothing_in_it_says_so_and_fails() {
    let dir = copy_of_claims();
    publish_as_balkan_facts(dir.path());
    let out = claimdesk(dir.path(), &["export", "--format", "claimreview"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("nothing to export"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn one_review_and_one_script_element_per_review() {
    let dir = reviewed_desk();
    // The article's own address makes appearance.url and firstAppearance.
    let file = data_file(dir.path());
    let text = fs::read_to_string(&file).expect("read");
    fs::write(
        &file,
        text.replacen(
            "  language: ar\n",
            "  language: ar\n  url: https://24.ae/article/1\n",
            1,
        ),
    )
    .expect("write");
    let out = claimdesk(
        dir.path(),
        &["export", "--format", "claimreview", "--claim", "alb-09"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let one: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(one["@type"], "ClaimReview", "one object, not an array");
    assert_eq!(one["url"], "https://balkanfacts.al/reviews/alb-09");
    assert_eq!(one["reviewRating"]["name"], "False");
    assert_eq!(
        one["itemReviewed"]["appearance"]["url"],
        "https://24.ae/article/1"
    );
    assert_eq!(
        one["itemReviewed"]["firstAppearance"]["url"],
        "https://24.ae/article/1"
    );
    let snippets = tempfile::tempdir().expect("temp dir");
    let d = snippets.path().to_str().expect("utf-8");
    let out = claimdesk(
        dir.path(),
        &["export", "--format", "claimreview-html", "--out-dir", d],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut names: Vec<String> = fs::read_dir(snippets.path())
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["alb-01.html", "alb-09.html", "alb-11.html"]);
    let html = fs::read_to_string(snippets.path().join("alb-09.html")).expect("read");
    let json = html
        .strip_prefix("<script type=\"application/ld+json\">\n")
        .and_then(|h| h.strip_suffix("\n</script>\n"))
        .expect("one script element");
    let back: Value = serde_json::from_str(json).expect("JSON inside");
    assert_eq!(back, one);
}

#[test]
fn a_hostile_source_name_cannot_end_the_script_element() {
    let dir = reviewed_desk();
    let file = data_file(dir.path());
    let text = fs::read_to_string(&file).expect("read");
    let hostile = text.replacen(
        "name: Albanian Interior Ministry",
        "name: \"Ministry</script><script>alert(1)</script>&amp;\\u2028\"",
        1,
    );
    assert_ne!(hostile, text);
    fs::write(&file, hostile).expect("write");
    let snippets = tempfile::tempdir().expect("temp dir");
    let d = snippets.path().to_str().expect("utf-8");
    let out = claimdesk(
        dir.path(),
        &["export", "--format", "claimreview-html", "--out-dir", d],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let html = fs::read_to_string(snippets.path().join("alb-09.html")).expect("read");
    assert_eq!(html.matches("</script>").count(), 1, "{html}");
    assert!(!html.contains('\u{2028}'));
    let json = html
        .trim_start_matches("<script type=\"application/ld+json\">\n")
        .trim_end_matches("\n</script>\n");
    let v: Value = serde_json::from_str(json).expect("JSON");
    assert_eq!(
        v["itemReviewed"]["author"]["name"],
        "Ministry</script><script>alert(1)</script>&amp;\u{2028}"
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
    let verdict = md.find("- **false** alb-09").expect("the claim");
    assert!(interior < verdict);
    assert!(md.contains("Translation: Preliminary findings show"));
    assert!(
        md.contains("  - Note:\n\n    > \\=SUM(A1) no such finding"),
        "{md}"
    );
    assert!(md.contains("Evidence: <https://example.org/a>"));
}

#[test]
fn csv_has_a_row_per_claim_and_defuses_formulas() {
    let dir = reviewed_desk();
    let (csv, _) = export(dir.path(), "csv");
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 1 + 54);
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
    assert_eq!(rows.len(), 54);
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
    publish_as_balkan_facts(dir.path());
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

/// Notes, names and URLs that would be live Markdown if copied in raw.
fn hostile_desk() -> tempfile::TempDir {
    let dir = reviewed_desk();
    for (id, note) in [
        (
            "alb-01",
            "<script>alert(1)</script> <img src=x onerror=alert(2)>",
        ),
        (
            "alb-09",
            "first paragraph\n\n# A heading that swallows the claims after it\n- a list\n1. ordered",
        ),
        (
            "alb-11",
            "[click](javascript:alert(1)) ![img](http://x/y.png) *bold* `code` | table |",
        ),
    ] {
        let out = claimdesk(dir.path(), &["note", id, note]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    dir
}

fn markdown_events(md: &str) -> Vec<pulldown_cmark::Event<'_>> {
    pulldown_cmark::Parser::new(md).collect()
}

fn headings(md: &str) -> usize {
    markdown_events(md)
        .iter()
        .filter(|e| {
            matches!(
                e,
                pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading { .. })
            )
        })
        .count()
}

#[test]
fn the_markdown_report_renders_inert_by_a_commonmark_parser() {
    let calm = reviewed_desk();
    let (plain, _) = export(calm.path(), "markdown");
    let dir = hostile_desk();
    let (md, _) = export(dir.path(), "markdown");
    for e in markdown_events(&md) {
        match e {
            pulldown_cmark::Event::Html(h) | pulldown_cmark::Event::InlineHtml(h) => {
                panic!("HTML in the report: {h}")
            }
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) => {
                assert!(
                    dest_url.starts_with("https://") || dest_url.starts_with("http://"),
                    "{dest_url}"
                );
            }
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Image { .. }) => panic!("an image"),
            _ => {}
        }
    }
    assert_eq!(
        headings(&md),
        headings(&plain),
        "hostile notes changed the headings"
    );
    // The notes' words are there, as text.
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(md.contains("\\# A heading that swallows"));
}

#[test]
fn xlsx_keeps_text_as_text_and_reads_back() {
    use calamine::{Data, Reader};
    let dir = reviewed_desk();
    let path = dir.path().join("claims.xlsx");
    let out = claimdesk(
        dir.path(),
        &[
            "export",
            "--format",
            "xlsx",
            "--out",
            path.to_str().expect("utf-8"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).expect("an xlsx file");
    let sheet = book.worksheet_range("claims").expect("the claims sheet");
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows.len(), 1 + 54);
    assert_eq!(rows[0][0], Data::String("id".into()));
    let row = rows
        .iter()
        .find(|r| r[0] == Data::String("alb-09".into()))
        .expect("alb-09");
    // `false` is the word, not the boolean FALSE; the formula-looking note stays text.
    assert_eq!(row[4], Data::String("false".into()));
    assert_eq!(row[8], Data::String("=SUM(A1) no such finding".into()));
    assert_eq!(
        row[5],
        Data::String("4".into()),
        "the paragraph number too is text"
    );
    assert!(
        matches!(&row[6], Data::String(t) if t.contains("النتائج")),
        "{:?}",
        row[6]
    );
    // Without --out, to a terminal, it says what to do rather than print binary.
}
