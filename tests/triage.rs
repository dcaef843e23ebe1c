//! Triage of imported candidates in the desk: keys in, files out, and two
//! reviewers triaging the same candidates.

mod common;

use std::fs;
use std::path::Path;

use claimdesk::app::{Action, App, update};
use claimdesk::model::Document;
use claimdesk::store::{self, Desk};
use claimdesk::text::Bidi;
use common::desk::type_into;
use common::*;

const ARTICLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/24ae-2022-09-12-albania-iran.txt"
);

/// A copy of the shipped desk with the shipped article imported again as `new`.
fn desk_with_candidates() -> tempfile::TempDir {
    let dir = copy_of_claims();
    let out = claimdesk(
        dir.path(),
        &["import", ARTICLE, "--id", "new", "--outlet", "24.ae"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

fn on_disk(dir: &Path) -> Document {
    store::load_file(&dir.join("new.yaml"), None).expect("the imported file loads")
}

fn app(dir: &Path, who: &str) -> App {
    common::desk::app_as(Desk::load(dir).expect("loads"), Bidi::Logical, who)
}

/// What the desk last said to its reviewer.
fn said(app: &App) -> String {
    app.screen()
        .message()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn selected(app: &App) -> String {
    app.selected_claim()
        .map(|c| c.id.0.to_string())
        .unwrap_or_default()
}

#[test]
fn the_queue_shows_only_candidates_and_each_key_saves_its_decision() {
    let dir = desk_with_candidates();
    let mut a = app(dir.path(), "alice");
    let before = on_disk(dir.path()).claims.len();
    let screen = type_into(&mut a, "C", 100, 30).text();
    assert!(
        screen.contains(&format!("{before} candidates to triage")),
        "{screen}"
    );
    assert!(selected(&a).starts_with("new-"), "{}", selected(&a));

    // Y: accepted, no longer a candidate, out of the queue.
    let first = selected(&a);
    type_into(&mut a, "Y", 100, 30);
    let doc = on_disk(dir.path());
    let c = doc.claims.iter().find(|c| c.id.0 == first).expect("kept");
    assert!(!c.is_candidate(), "accepted");
    assert!(
        c.history
            .last()
            .is_some_and(|h| h.what().contains("accepted"))
    );
    assert_ne!(selected(&a), first, "the queue moved on");

    // X: rejected, gone from the file, kept in its rejected: log.
    let second = selected(&a);
    type_into(&mut a, "X", 100, 30);
    let doc = on_disk(dir.path());
    assert!(doc.claims.iter().all(|c| c.id.0 != second));
    let text = fs::read_to_string(dir.path().join("new.yaml")).expect("read");
    assert!(
        text.contains("rejected:") && text.contains(&format!("id: {second}")),
        "{text}"
    );
    assert_eq!(doc.claims.len(), before - 1);

    // Narrow, then widen back: always verbatim in the paragraph.
    let third = selected(&a);
    let text_of = |dir: &Path| {
        let doc = on_disk(dir);
        let c = doc
            .claims
            .iter()
            .find(|c| c.id.0 == third)
            .expect("c")
            .clone();
        let p = doc
            .article
            .paragraph(c.paragraph.expect("placed"))
            .expect("p")
            .to_string();
        assert!(p.contains(&c.text), "not verbatim: {}", c.text);
        c.text
    };
    let original = text_of(dir.path());
    update(&mut a, Action::Narrow);
    let narrower = text_of(dir.path());
    assert!(
        narrower.len() < original.len() && original.contains(&narrower),
        "{narrower}"
    );
    update(&mut a, Action::Widen);
    assert_eq!(
        text_of(dir.path()),
        original,
        "widened back to the sentence"
    );

    // R, a name no source has, Enter: a new source, and the candidate is theirs.
    type_into(&mut a, "R/Albanian police<Enter><Enter>", 100, 30);
    let doc = on_disk(dir.path());
    let c = doc.claims.iter().find(|c| c.id.0 == third).expect("c");
    let s = doc
        .sources
        .iter()
        .find(|s| s.id == c.source)
        .expect("source");
    assert_eq!(s.name, "Albanian police");
    assert!(store::load_file(&dir.path().join("new.yaml"), None).is_ok());
}

#[test]
fn a_claim_that_is_not_a_candidate_is_not_triaged() {
    let dir = desk_with_candidates();
    let mut a = app(dir.path(), "alice");
    // alb-01 is a reviewed desk claim, not a candidate.
    let screen = type_into(&mut a, "X", 100, 30).text();
    assert_eq!(selected(&a), "alb-01");
    assert!(screen.contains("alb-01 is not a candidate"), "{screen}");
    let shipped = store::load_file(&data_file(dir.path()), None).expect("loads");
    assert!(shipped.claims.iter().any(|c| c.id.0 == "alb-01"));
}

#[test]
fn two_reviewers_triaging_the_same_candidate_never_undo_each_other() {
    let dir = desk_with_candidates();
    let mut alice = app(dir.path(), "alice");
    let mut bob = app(dir.path(), "bob");
    type_into(&mut alice, "C", 100, 30);
    type_into(&mut bob, "C", 100, 30);
    let id = selected(&alice);
    assert_eq!(selected(&bob), id);
    // Bob accepts; Alice, who has not seen that, rejects: refused, and told.
    update(&mut bob, Action::Accept);
    update(&mut alice, Action::Reject);
    let message = said(&alice);
    assert!(message.contains("changed since you looked"), "{message}");
    let doc = on_disk(dir.path());
    let c = doc
        .claims
        .iter()
        .find(|c| c.id.0 == id)
        .expect("bob's accept stands");
    assert!(!c.is_candidate());
    // Bob rejects the next one; Alice, behind, accepts it: it is gone, and she is told.
    let next = selected(&bob);
    update(&mut bob, Action::Reject);
    while selected(&alice) != next {
        update(&mut alice, Action::Down);
    }
    update(&mut alice, Action::Accept);
    let message = said(&alice);
    assert!(message.contains(&next), "{message}");
    assert!(on_disk(dir.path()).claims.iter().all(|c| c.id.0 != next));
}

/// Every triage key is one undo step: `u` takes back that decision, not
/// an older change on another claim; Ctrl-r makes it again.
#[test]
fn each_triage_key_is_one_undo_step_and_a_rejected_candidate_comes_back() {
    let dir = desk_with_candidates();
    let mut a = app(dir.path(), "alice");
    // An older, unrelated change first: it must survive the undos below.
    type_into(&mut a, "3", 100, 30);
    assert_eq!(
        store::load_file(&data_file(dir.path()), None)
            .expect("loads")
            .claims[0]
            .status
            .key(),
        "verified"
    );
    type_into(&mut a, "C", 100, 30);
    let id = selected(&a);
    let text_of = |dir: &Path| {
        on_disk(dir)
            .claims
            .iter()
            .find(|c| c.id.0 == id)
            .map(|c| c.text.clone())
    };
    let original = text_of(dir.path()).expect("there");
    // { then }: two steps; u twice takes both back, in order.
    type_into(&mut a, "{", 100, 30);
    let narrower = text_of(dir.path()).expect("there");
    assert_ne!(narrower, original);
    type_into(&mut a, "}", 100, 30);
    type_into(&mut a, "u", 100, 30);
    assert_eq!(text_of(dir.path()).as_deref(), Some(narrower.as_str()));
    type_into(&mut a, "u", 100, 30);
    assert_eq!(text_of(dir.path()).as_deref(), Some(original.as_str()));
    // X, then u: the candidate is back where it was, out of the rejected log.
    let index = on_disk(dir.path())
        .claims
        .iter()
        .position(|c| c.id.0 == id)
        .expect("there");
    type_into(&mut a, "X", 100, 30);
    assert_eq!(text_of(dir.path()), None, "rejected");
    type_into(&mut a, "u", 100, 30);
    let doc = on_disk(dir.path());
    let back = doc.claims.iter().position(|c| c.id.0 == id);
    assert_eq!(back, Some(index), "{}", said(&a));
    assert!(doc.claims[index].is_candidate());
    let logged = doc
        .extra
        .get("rejected")
        .and_then(|v| v.as_sequence())
        .is_some_and(|l| {
            l.iter()
                .any(|e| e.get("id").and_then(|x| x.as_str()) == Some(&id))
        });
    assert!(!logged, "the rejected log let it go");
    // Ctrl-r rejects it again.
    type_into(&mut a, "<C-r>", 100, 30);
    assert_eq!(text_of(dir.path()), None, "{}", said(&a));
    // Y then u: a candidate again. The older mark on alb-01 never moved.
    let next = selected(&a);
    type_into(&mut a, "Yu", 100, 30);
    let doc = on_disk(dir.path());
    let c = doc.claims.iter().find(|c| c.id.0 == next).expect("there");
    assert!(c.is_candidate(), "{}", said(&a));
    let shipped = store::load_file(&data_file(dir.path()), None).expect("loads");
    assert_eq!(shipped.claims[0].status.key(), "verified");
}
