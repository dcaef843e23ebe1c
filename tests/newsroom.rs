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

/// `claimdesk import` of fixture `name` into `dir`, as outlet `outlet`.
fn import(dir: &Path, name: &str, outlet: &str) {
    let article = Path::new(FIXTURES).join(format!("{name}.txt"));
    let article = article.to_str().expect("utf-8 path");
    let out = claimdesk(dir, &["import", article, "--id", name, "--outlet", outlet]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Import fixture `name` into a copy of the shipped desk and score it.
fn score(name: &str, outlet: &str) -> (Score, Document) {
    let dir = copy_of_claims();
    let shipped = claimdesk::store::load_file(&data_file(dir.path()), None).expect("shipped");
    import(dir.path(), name, outlet);
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

/// A report written after the rules were, to see that they hold on copy
/// they were not tuned on: attribution to the same bar, and no wrong link.
/// (It links fewer restatements than the others: its rewordings are looser,
/// and a lexical match misses a paraphrase rather than guess.)
#[test]
fn wire_copy_the_rules_were_not_tuned_on_is_attributed_without_a_wrong_link() {
    let (s, _) = score("en-reuters-sanctions", "Reuters");
    let r = report("en-reuters-sanctions", &s);
    eprintln!("{r}");
    assert!(s.right_source * 14 >= s.claims * 12, "{r}");
    assert!(s.wrong_links.is_empty(), "{r}");
    assert!(s.linked >= 3, "{r}");
}

#[test]
fn one_ministry_is_one_source_across_articles() {
    let dir = copy_of_claims();
    import(dir.path(), "ar-border", "Levant News");
    import(dir.path(), "en-wire-border", "AP");
    // `--source` by the English name finds the imported claims too.
    let out = claimdesk(
        dir.path(),
        &["list", "--source", "Albanian Interior Ministry", "--json"],
    );
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let ids: Vec<&str> = (listed.as_array().expect("a list").iter())
        .filter_map(|c| c["id"].as_str())
        .collect();
    for id in ["alb-07", "ar-02", "ar-03", "en-02"] {
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

/// A copy of the shipped desk with the Arabic report imported as `ar-border`.
fn desk_with_report() -> tempfile::TempDir {
    let dir = copy_of_claims();
    import(dir.path(), "ar-border", "Levant News");
    dir
}

fn app(dir: &Path, who: &str) -> claimdesk::app::App {
    let desk = claimdesk::store::Desk::load(dir).expect("loads");
    common::desk::app_as(desk, claimdesk::text::Bidi::Logical, who)
}

fn selected(app: &claimdesk::app::App) -> String {
    app.selected_claim()
        .map(|c| c.id.0.to_string())
        .unwrap_or_default()
}

fn said(app: &claimdesk::app::App) -> String {
    app.screen()
        .message()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn claim_on_disk(dir: &Path, file: &str, id: &str) -> claimdesk::model::Claim {
    let doc = claimdesk::store::load_file(&dir.join(file), None).expect("loads");
    doc.claims
        .into_iter()
        .find(|c| c.id.0 == id)
        .expect("the claim is in its file")
}

/// Move `app`'s cursor to claim `id` with the keys a reviewer would use.
fn go_to(app: &mut claimdesk::app::App, id: &str) {
    common::desk::type_into(app, &format!("/{id}<Enter>"), 100, 30);
    assert_eq!(selected(app), id, "{}", said(app));
}

#[test]
fn a_translation_is_written_from_the_keyboard_with_its_own_history_and_undo() {
    let dir = desk_with_report();
    let mut a = app(dir.path(), "alice");
    go_to(&mut a, "ar-07");
    let c = claim_on_disk(dir.path(), "ar-border.yaml", "ar-07");
    assert!(c.translation.is_empty(), "import leaves it pending");
    common::desk::type_into(
        &mut a,
        "TRama added that officials coordinate defensive work with the allies.<Enter>",
        100,
        30,
    );
    let c = claim_on_disk(dir.path(), "ar-border.yaml", "ar-07");
    assert_eq!(
        c.translation,
        "Rama added that officials coordinate defensive work with the allies."
    );
    let h = c.history.last().expect("an entry");
    assert_eq!(h.by, "alice");
    assert!(h.what().contains("translation"), "{}", h.what());
    // One key, one undo step.
    common::desk::type_into(&mut a, "u", 100, 30);
    let c = claim_on_disk(dir.path(), "ar-border.yaml", "ar-07");
    assert!(c.translation.is_empty(), "undone: {}", c.translation);

    // Bob translates while Alice writes hers: hers is not saved over his.
    let mut b = app(dir.path(), "bob");
    go_to(&mut b, "ar-07");
    common::desk::type_into(&mut a, "TAlice's words", 100, 30);
    common::desk::type_into(&mut b, "TBob's words<Enter>", 100, 30);
    common::desk::type_into(&mut a, "<Enter>", 100, 30);
    assert!(said(&a).contains("bob"), "{}", said(&a));
    let c = claim_on_disk(dir.path(), "ar-border.yaml", "ar-07");
    assert_eq!(c.translation, "Bob's words");
    // The CLI writes one too.
    let out = claimdesk(
        dir.path(),
        &["translate", "ar-08", "Albania had cut diplomatic ties."],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let c = claim_on_disk(dir.path(), "ar-border.yaml", "ar-08");
    assert_eq!(c.translation, "Albania had cut diplomatic ties.");
}

#[test]
fn a_candidate_narrows_to_any_word_and_widens_back() {
    let dir = desk_with_report();
    let mut a = app(dir.path(), "alice");
    go_to(&mut a, "ar-07");
    let before = claim_on_disk(dir.path(), "ar-border.yaml", "ar-07").text;
    common::desk::type_into(&mut a, "{}", 100, 30);
    let after = claim_on_disk(dir.path(), "ar-border.yaml", "ar-07").text;
    let words: Vec<&str> = before.split_whitespace().collect();
    assert_eq!(after, words[1..words.len() - 1].join(" "));
    common::desk::type_into(&mut a, ">", 100, 30);
    let back = claim_on_disk(dir.path(), "ar-border.yaml", "ar-07").text;
    assert_eq!(back, before, "widened back to its sentence");
}

#[test]
fn a_candidate_links_through_a_picker_and_the_link_is_a_jump_away_and_back() {
    let dir = desk_with_report();
    let mut a = app(dir.path(), "alice");
    go_to(&mut a, "ar-02");
    // The picker lists what import found first: Enter links the best.
    let screen = common::desk::type_into(&mut a, "L", 100, 30).text();
    assert!(
        screen.contains("alb-07") && screen.contains("match"),
        "{screen}"
    );
    common::desk::type_into(&mut a, "<Enter>", 100, 30);
    let c = claim_on_disk(dir.path(), "ar-border.yaml", "ar-02");
    assert!(
        c.ids_under(claimdesk::model::SAME_AS)
            .iter()
            .any(|id| id.0 == "alb-07"),
        "{:?}",
        c.extra
    );
    // Any claim, by its id typed in the picker.
    common::desk::type_into(&mut a, "L/alb-54<Enter><Enter>", 100, 30);
    let c = claim_on_disk(dir.path(), "ar-border.yaml", "ar-02");
    assert!(
        c.ids_under(claimdesk::model::SAME_AS)
            .iter()
            .any(|id| id.0 == "alb-54"),
        "{}",
        said(&a)
    );
    // = goes to the linked claim, and back.
    common::desk::type_into(&mut a, "=", 100, 30);
    assert_eq!(selected(&a), "alb-07", "{}", said(&a));
    common::desk::type_into(&mut a, "=", 100, 30);
    assert_eq!(selected(&a), "ar-02", "{}", said(&a));
}

#[test]
fn any_source_of_the_desk_is_chosen_by_any_of_its_names() {
    let dir = desk_with_report();
    let mut a = app(dir.path(), "alice");
    // The source filter finds Tehran by its Arabic name.
    common::desk::type_into(&mut a, "s/طهران<Enter><Enter>", 100, 30);
    let listed: Vec<String> = (a.screen().list().visible().iter())
        .filter_map(|&r| a.session().desk().head(r).map(|h| h.id.0.to_string()))
        .collect();
    assert!(listed.contains(&"alb-37".to_string()), "{listed:?}");
    assert!(listed.contains(&"ar-13".to_string()), "{listed:?}");
    common::desk::type_into(&mut a, "c", 100, 30);
    // R offers every source of the desk: the candidate's file gains the
    // chosen source's definition and its parents', and stays valid.
    go_to(&mut a, "ar-05");
    common::desk::type_into(&mut a, "R/Jean-Pierre<Enter><Enter>", 100, 30);
    let doc =
        claimdesk::store::load_file(&dir.path().join("ar-border.yaml"), None).expect("still loads");
    let c = doc.claims.iter().find(|c| c.id.0 == "ar-05").expect("c");
    assert_eq!(c.source.0, "wh-press-secretary", "{}", said(&a));
    for id in ["wh-press-secretary", "white-house", "us-government"] {
        assert!(doc.sources.iter().any(|s| s.id.0 == id), "{id} defined");
    }
}
