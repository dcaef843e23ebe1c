//! The newsroom's stream: reports of the shipped article's events by other
//! outlets, in Arabic and English wire style, imported into the shipped
//! desk. Each fixture's `.expect` says, claim by claim, who said it and
//! which shipped claims it restates; the test counts what import got right
//! and holds it to the bar (and to no wrong link at all).

mod common;

use std::fs;
use std::path::Path;

use claimdesk::model::{Document, SEEN_BEFORE};
use common::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/newsroom");

struct Expected {
    source: String,
    holds: String,
    restates: Vec<String>,
}

fn expectations(name: &str) -> Vec<Expected> {
    let text = fs::read_to_string(Path::new(FIXTURES).join(format!("{name}.expect")))
        .expect("expectations");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let parts: Vec<&str> = l.split(" | ").map(str::trim).collect();
            assert_eq!(parts.len(), 3, "bad line: {l}");
            Expected {
                source: parts[0].into(),
                holds: parts[1].into(),
                restates: match parts[2] {
                    "-" => Vec::new(),
                    ids => ids.split(',').map(String::from).collect(),
                },
            }
        })
        .collect()
}

struct Score {
    claims: usize,
    right_source: usize,
    restated: usize,
    linked: usize,
    wrong_links: Vec<String>,
    misses: Vec<String>,
}

/// Import fixture `name` into a copy of the shipped desk and score it.
fn score(name: &str, outlet: &str) -> (Score, Document) {
    let dir = copy_of_claims();
    let shipped = claimdesk::store::load_file(&data_file(dir.path()), None).expect("shipped");
    let article = Path::new(FIXTURES).join(format!("{name}.txt"));
    let out = claimdesk(
        dir.path(),
        &[
            "import",
            article.to_str().expect("utf-8 path"),
            "--id",
            name,
            "--outlet",
            outlet,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = claimdesk::store::load_file(&dir.path().join(format!("{name}.yaml")), None)
        .expect("imported file");
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut s = Score {
        claims: 0,
        right_source: 0,
        restated: 0,
        linked: 0,
        wrong_links: Vec::new(),
        misses: Vec::new(),
    };
    for want in expectations(name) {
        s.claims += 1;
        s.restated += usize::from(!want.restates.is_empty());
        let Some(c) = doc
            .claims
            .iter()
            .find(|c| squash(&c.text).contains(&squash(&want.holds)))
        else {
            s.misses.push(format!("not proposed: {}", want.holds));
            continue;
        };
        let source = doc.sources.iter().find(|x| x.id == c.source);
        let right = match want.source.as_str() {
            "outlet" => source.is_some_and(|x| x.kind == "outlet"),
            w if w.starts_with("new:") => source.is_some_and(|x| {
                !shipped.sources.iter().any(|y| y.id == x.id) && x.name.contains(&w[4..])
            }),
            id => c.source.0 == id,
        };
        if right {
            s.right_source += 1;
        } else {
            s.misses.push(format!(
                "source {} (want {}): {}",
                source.map_or("?", |x| x.name.as_str()),
                want.source,
                c.text
            ));
        }
        let first = c.ids_under(SEEN_BEFORE).into_iter().next();
        match first {
            Some(id) if want.restates.iter().any(|w| *w == id.0) => s.linked += 1,
            Some(id) => s.wrong_links.push(format!("{id} for: {}", c.text)),
            None if !want.restates.is_empty() => s
                .misses
                .push(format!("no link ({:?}): {}", want.restates, c.text)),
            None => {}
        }
    }
    (s, doc)
}

fn report(name: &str, s: &Score) -> String {
    format!(
        "{name}: right source {}/{}, restated claims linked {}/{}, wrong links {}\n{}\n{}",
        s.right_source,
        s.claims,
        s.linked,
        s.restated,
        s.wrong_links.len(),
        s.misses.join("\n"),
        s.wrong_links.join("\n")
    )
}

#[test]
fn arabic_reports_of_the_same_events_are_attributed_and_found_again() {
    let (s, _) = score("ar-border", "Levant News");
    let r = report("ar-border", &s);
    eprintln!("{r}");
    assert!(s.right_source * 16 >= s.claims * 14, "{r}");
    assert!(s.linked * 16 >= s.restated * 12, "{r}");
    assert!(s.wrong_links.is_empty(), "{r}");
}

#[test]
fn english_wire_copy_is_attributed_and_found_again_across_languages() {
    let (s, doc) = score("en-wire-border", "AP");
    let r = report("en-wire-border", &s);
    eprintln!("{r}");
    assert!(s.right_source * 14 >= s.claims * 12, "{r}");
    assert!(s.linked * 11 >= s.restated * 8, "{r}");
    assert!(s.wrong_links.is_empty(), "{r}");
    // The dateline and the byline are never sources; the headline is one claim.
    for x in doc.sources.iter().filter(|x| x.kind != "outlet") {
        assert!(
            !["Albania AP", "The", "AP", "TIRANA"].contains(&x.name.as_str()),
            "a dateline word became a source: {}",
            x.name
        );
    }
    let headline = doc
        .claims
        .iter()
        .filter(|c| c.text.contains("second cyberattack, this time"))
        .count();
    assert!(headline <= 1, "the headline proposed {headline} times");
}

#[test]
fn one_ministry_is_one_source_across_articles() {
    let dir = copy_of_claims();
    for (name, outlet) in [("ar-border", "Levant News"), ("en-wire-border", "AP")] {
        let article = Path::new(FIXTURES).join(format!("{name}.txt"));
        let out = claimdesk(
            dir.path(),
            &[
                "import",
                article.to_str().expect("utf-8 path"),
                "--id",
                name,
                "--outlet",
                outlet,
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    // `--source` by the English name finds the imported claims too.
    let out = claimdesk(
        dir.path(),
        &["list", "--source", "Albanian Interior Ministry", "--json"],
    );
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let ids: Vec<&str> = (listed.as_array().expect("a list").iter())
        .filter_map(|c| c["id"].as_str())
        .collect();
    for id in [
        "alb-07",
        "ar-border-02",
        "ar-border-03",
        "en-wire-border-02",
    ] {
        assert!(ids.contains(&id), "{id} not listed: {ids:?}");
    }
    // Stats count the ministry once: one row, whatever its files.
    let out = claimdesk(dir.path(), &["stats"]);
    let stats = stdout(&out);
    let rows = stats
        .lines()
        .filter(|l| l.contains("Interior Ministry"))
        .count();
    assert_eq!(rows, 1, "{stats}");
}
