//! The store against real files: the shipped claims, broken files, and saving.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use claimdesk::model::{ClaimId, Status};
use claimdesk::store::{self, Change, Desk, Edit};
use common::*;

#[test]
fn shipped_file_round_trips_byte_for_byte() {
    let original = fs::read_to_string(SHIPPED_FILE).expect("read shipped file");
    let doc = store::load_file(Path::new(SHIPPED_FILE), None).expect("shipped file is valid");
    let written = store::render(&doc).expect("render");
    assert!(original == written, "load + save changed the shipped file");
}

#[test]
fn every_shipped_claim_is_verbatim_in_its_paragraph() {
    let desk = Desk::load(Path::new(SHIPPED)).expect("shipped claims load");
    assert!(
        desk.claim_count() >= 35,
        "only {} claims",
        desk.claim_count()
    );
    for (r, claim) in desk.claims() {
        let doc = desk.doc(r).expect("doc");
        let n = claim
            .paragraph
            .unwrap_or_else(|| panic!("{}: every shipped claim says its paragraph", claim.id));
        let para = desk
            .article(r)
            .expect("the article reads back")
            .paragraph(n)
            .unwrap_or_else(|| panic!("{}: no paragraph {n}", claim.id));
        assert!(
            para.contains(&claim.text),
            "{}: text not found verbatim in paragraph {n}",
            claim.id,
        );
        assert!(
            doc.source(&claim.source).is_some(),
            "{}: dangling source",
            claim.id
        );
        assert_eq!(claim.status, Status::Unreviewed);
        assert!(claim.history.is_empty());
        assert!(!claim.translation.trim().is_empty());
    }
}

#[test]
fn shipped_paragraphs_are_the_article_body() {
    let doc = store::load_file(Path::new(SHIPPED_FILE), None).expect("valid");
    let article = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/article/000_dead470cb7fcdd1a.txt"
    ));
    // The article lives beside the repository; CI has it too, a bare checkout may not.
    let Ok(article) = article else { return };
    for (i, p) in doc.article.paragraphs.iter().enumerate() {
        assert!(
            article.contains(p.as_str()),
            "paragraph {} not in the article",
            i + 1
        );
    }
    assert!(article.contains(&doc.article.title));
}

#[test]
fn a_file_with_only_the_required_fields_loads_and_saves_nothing_more() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("min.yaml");
    let text = "article:\n  id: min\n  title: عنوان\n  paragraphs:\n    - قال الوزير إن الهجوم فشل.\n\
                sources:\n  - id: minister\n    name: The minister\n\
                claims:\n  - id: min-01\n    source: minister\n    text: الهجوم فشل\n    status: unreviewed\n";
    fs::write(&path, text).expect("write");
    let doc = store::load_file(&path, None).expect("the minimal file loads");
    let c = &doc.claims[0];
    assert_eq!(c.paragraph, None);
    assert_eq!(doc.article.paragraph_of(c), Some(1), "found by its text");
    assert_eq!(c.translation_or_pending(), "(translation pending)");
    // Saving adds only the (empty) history a change would start.
    let written = store::render(&doc).expect("render");
    assert_eq!(written, format!("{text}    history: []\n"));
}

#[test]
fn every_missing_field_is_reported_at_once_with_where_and_what_to_add() {
    let problems = problems_of(
        b"article:\n  id: x\nsources:\n  - name: A\nclaims:\n  - id: c1\n  - source: a\n    text: t\n",
    );
    for want in [
        ":1:1: article: missing `title`; add `title:` with the headline as published",
        ":1:1: article: missing `paragraphs`",
        ":4:5: source #1: missing `id`",
        ":6:5: claim `c1`: missing `source`",
        ":6:5: claim `c1`: missing `text`",
        ":6:5: claim `c1`: missing `status`",
        ":7:5: claim #2: missing `id`",
        ":7:5: claim #2: missing `status`",
    ] {
        assert!(problems.contains(want), "no {want:?} in:\n{problems}");
    }
}

#[test]
fn check_passes_on_the_shipped_claims() {
    let out = claimdesk(Path::new(SHIPPED), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("54 claims"));
}

/// Write `body` as the only claims file of a fresh directory and load it.
fn problems_of(body: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("a.yaml"), body).expect("write");
    match Desk::load(dir.path()) {
        Ok(_) => String::from("<loaded>"),
        Err(p) => p.to_string(),
    }
}

const GOOD: &str = "article:
  id: a1
  title: T
  title_en: T
  outlet: O
  author: A
  published: \"2022-09-12T16:40:00+04:00\"
  language: ar
  paragraphs:
    - First paragraph.
sources:
  - id: gov
    name: Government
    name_original: G
    kind: government
  - id: min
    name: Ministry
    name_original: M
    kind: government-ministry
    parent: gov
claims:
  - id: c1
    source: min
    paragraph: 1
    text: First
    translation: First
    status: unreviewed
    history: []
  - id: c2
    source: gov
    paragraph: 1
    text: paragraph
    translation: paragraph
    status: unreviewed
    history: []
";

#[test]
fn the_good_fixture_loads() {
    assert_eq!(problems_of(GOOD.as_bytes()), "<loaded>");
}

/// The classic: ten levels of aliases, each repeating the one below ten times.
fn billion_laughs() -> String {
    let mut s = String::from("a0: &a0 [lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    s
}

#[test]
fn broken_files_get_a_located_actionable_error() {
    let deep = format!("article: {}{}\n", "[".repeat(300), "]".repeat(300));
    let wide_bomb = {
        let big = "x".repeat(50_000);
        format!("{GOOD}bomb: &b {big}\nrefs:\n{}", "  - *b\n".repeat(5_000))
    };
    let cases: Vec<(&str, Vec<u8>, &[&str])> = vec![
        (
            "syntax error",
            b"article: [unclosed\n".to_vec(),
            &["a.yaml:", "invalid YAML"],
        ),
        (
            "tab indentation",
            GOOD.replace("  id: a1", "\tid: a1").into_bytes(),
            &["a.yaml:2:", "invalid YAML"],
        ),
        ("empty file", b"".to_vec(), &["a.yaml", "empty"]),
        ("whitespace only", b"  \n\n".to_vec(), &["empty"]),
        (
            "invalid UTF-8",
            b"article:\n  id: \xff\xfe\n".to_vec(),
            &["a.yaml:2:7", "not valid UTF-8"],
        ),
        (
            "not a mapping",
            b"- just\n- a list\n".to_vec(),
            &["a.yaml:1:1", "top level must be a mapping"],
        ),
        (
            "missing claims section",
            GOOD.split("claims:")
                .next()
                .unwrap_or("")
                .as_bytes()
                .to_vec(),
            &["missing `claims` section"],
        ),
        (
            "missing article field",
            GOOD.replace("  title: T\n", "").into_bytes(),
            &["a.yaml:1:1", "article", "missing `title`"],
        ),
        (
            "missing claim text",
            GOOD.replace("    text: First\n", "").into_bytes(),
            &["a.yaml:22:", "claim `c1`", "missing `text`; add `text:`"],
        ),
        (
            "unknown status",
            GOOD.replace(
                "status: unreviewed\n    history: []\n  - id: c2",
                "status: verifed\n    history: []\n  - id: c2",
            )
            .into_bytes(),
            &[
                "a.yaml:27:",
                "claim `c1`",
                "unknown status `verifed`",
                "did you mean `verified`",
            ],
        ),
        (
            "undefined source",
            GOOD.replace("source: gov\n", "source: govt\n").into_bytes(),
            &[
                "a.yaml:30:",
                "source `govt` is not defined",
                "did you mean `gov`",
            ],
        ),
        (
            "duplicate claim id",
            GOOD.replace("id: c2", "id: c1").into_bytes(),
            &["a.yaml:29:", "claim id `c1` is used twice"],
        ),
        (
            "duplicate source id",
            GOOD.replace("id: min", "id: gov").into_bytes(),
            &["defined twice"],
        ),
        (
            "undefined parent",
            GOOD.replace("parent: gov", "parent: gob").into_bytes(),
            &[
                "a.yaml:20:",
                "parent `gob` is not defined",
                "did you mean `gov`",
            ],
        ),
        (
            "parent cycle",
            GOOD.replace(
                "    kind: government\n",
                "    kind: government\n    parent: min\n",
            )
            .into_bytes(),
            &["source parent cycle", "gov -> min -> gov"],
        ),
        (
            "paragraph out of range",
            GOOD.replace(
                "paragraph: 1\n    text: First",
                "paragraph: 7\n    text: First",
            )
            .into_bytes(),
            &["a.yaml:24:", "paragraph 7 is out of range", "1 paragraphs"],
        ),
        (
            "paragraph not a number",
            GOOD.replace(
                "paragraph: 1\n    text: First",
                "paragraph: one\n    text: First",
            )
            .into_bytes(),
            &["claim `c1`", "invalid type"],
        ),
        (
            "claims not a list",
            GOOD.split("claims:")
                .next()
                .map(|h| format!("{h}claims: nope\n"))
                .unwrap_or_default()
                .into_bytes(),
            &["`claims` must be a list"],
        ),
        (
            "deep nesting",
            deep.into_bytes(),
            &["a.yaml:1:", "nests deeper than 64 levels"],
        ),
        (
            "nested billion laughs",
            billion_laughs().into_bytes(),
            &["a.yaml", "invalid YAML", "repetition limit"],
        ),
        (
            "wide alias bomb",
            wide_bomb.into_bytes(),
            &["a.yaml", "aliases"],
        ),
        (
            "yaml tag",
            GOOD.replace("title: T\n", "title: !evil T\n").into_bytes(),
            &["tags"],
        ),
        (
            "two documents",
            format!("{GOOD}---\n{GOOD}").into_bytes(),
            &["more than one document"],
        ),
        (
            "no claims",
            GOOD.split("claims:")
                .next()
                .map(|h| format!("{h}claims: []\n"))
                .unwrap_or_default()
                .into_bytes(),
            &["hold no claims"],
        ),
    ];
    assert!(cases.len() >= 15);
    for (name, body, wants) in cases {
        let got = problems_of(&body);
        for want in wants {
            assert!(got.contains(want), "{name}: expected `{want}` in:\n{got}");
        }
    }
}

#[test]
fn all_problems_of_a_file_are_reported_at_once() {
    let body = GOOD.replace("source: gov\n", "source: nobody\n").replace(
        "paragraph: 1\n    text: First",
        "paragraph: 9\n    text: First",
    );
    let got = problems_of(body.as_bytes());
    assert!(got.contains("source `nobody`"), "{got}");
    assert!(got.contains("paragraph 9"), "{got}");
}

#[test]
fn huge_file_is_refused_by_size_not_parsed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.yaml");
    let f = fs::File::create(&path).expect("create");
    f.set_len(store::MAX_FILE_BYTES + 1).expect("grow");
    let err = Desk::load(dir.path()).expect_err("too big").to_string();
    assert!(err.contains("over the") && err.contains("limit"), "{err}");
}

#[test]
fn duplicate_ids_across_files_are_caught() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("a.yaml"), GOOD).expect("write");
    fs::write(dir.path().join("b.yaml"), GOOD.replace("id: a1", "id: b1")).expect("write");
    let err = Desk::load(dir.path()).expect_err("duplicates").to_string();
    assert!(err.contains("b.yaml:22:1"), "{err}");
    assert!(
        err.contains("already used in") && err.contains("a.yaml"),
        "{err}"
    );
}

#[test]
fn empty_directory_says_what_to_do() {
    let dir = tempfile::tempdir().expect("temp dir");
    let err = Desk::load(dir.path()).expect_err("empty").to_string();
    assert!(err.contains("no claims files"), "{err}");
}

#[test]
fn unknown_keys_survive_a_save() {
    let dir = tempfile::tempdir().expect("temp dir");
    let body = GOOD
        .replace("  language: ar\n", "  language: ar\n  desk_tag: keep-me\n")
        .replace(
            "    history: []\n  - id: c2",
            "    history: []\n    priority: 3\n  - id: c2",
        );
    let body = format!("{body}custom_top: [1, 2]\n");
    fs::write(dir.path().join("a.yaml"), &body).expect("write");
    let mut desk = Desk::load(dir.path()).expect("loads");
    desk.apply(&change("c1", Status::Verified)).expect("apply");
    let after = fs::read_to_string(dir.path().join("a.yaml")).expect("read");
    assert!(after.contains("desk_tag: keep-me"), "{after}");
    assert!(after.contains("priority: 3"), "{after}");
    assert!(after.contains("custom_top:\n  - 1\n  - 2\n"), "{after}");
}

fn change(id: &str, status: Status) -> Change {
    Change {
        claim: ClaimId(id.into()),
        by: "alice".into(),
        at: "2026-11-28T10:00:00Z".into(),
        edit: Edit::Status {
            status,
            note: Some("checked".into()),
            evidence: vec!["https://example.org/e".into()],
        },
        seen: None,
    }
}

#[test]
fn a_status_change_records_history_and_is_a_small_diff() {
    let dir = copy_of_claims();
    let path = data_file(dir.path());
    let before = fs::read_to_string(&path).expect("read");
    let mut desk = Desk::load(dir.path()).expect("loads");
    desk.apply(&change("alb-07", Status::Verified))
        .expect("apply");
    let after = fs::read_to_string(&path).expect("read");

    let reloaded = Desk::load(dir.path()).expect("still valid");
    let c = reloaded
        .get(reloaded.find(&ClaimId("alb-07".into())).expect("found"))
        .expect("claim");
    assert_eq!(c.status, Status::Verified);
    assert_eq!(c.note.as_deref(), Some("checked"));
    let h = &c.history[0];
    assert_eq!(
        (h.previous, h.status, h.by.as_str()),
        (Some(Status::Unreviewed), Status::Verified, "alice")
    );

    assert!(after.contains("previous: unreviewed"));
    // Count changed lines with git itself, as a reviewer would see them.
    if lacks(
        "a_status_change_records_history_and_is_a_small_diff (its git diff)",
        &["git"],
    ) {
        return;
    }
    let old_copy = dir.path().join("before.txt");
    fs::write(&old_copy, &before).expect("write copy");
    let numstat = std::process::Command::new("git")
        .args(["diff", "--no-index", "--numstat"])
        .arg(&old_copy)
        .arg(&path)
        .output()
        .expect("git is installed");
    let stat = String::from_utf8_lossy(&numstat.stdout);
    let mut counts = stat
        .split_whitespace()
        .map(|n| n.parse::<usize>().unwrap_or(usize::MAX));
    let (added, removed) = (counts.next().unwrap_or(0), counts.next().unwrap_or(0));
    assert!(added > 0, "git saw no change: {stat}");
    // The status line changes; note, evidence and one history entry are added.
    assert!(
        removed <= 2 && added <= 12,
        "diff too large: -{removed} +{added}"
    );
}

#[test]
fn a_save_keeps_the_files_mode() {
    let dir = copy_of_claims();
    let path = data_file(dir.path());
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
    let mut desk = Desk::load(dir.path()).expect("loads");
    desk.apply(&change("alb-01", Status::False)).expect("apply");
    let mode = fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

#[test]
fn a_change_applies_to_the_file_on_disk_not_a_stale_copy() {
    let dir = copy_of_claims();
    let mut first = Desk::load(dir.path()).expect("loads");
    let mut second = Desk::load(dir.path()).expect("loads");
    first
        .apply(&change("alb-01", Status::Verified))
        .expect("first");
    second
        .apply(&change("alb-02", Status::False))
        .expect("second");
    let desk = Desk::load(dir.path()).expect("loads");
    let status = |id: &str| {
        desk.get(desk.find(&ClaimId(id.into())).expect("id"))
            .expect("c")
            .status
    };
    assert_eq!(
        status("alb-01"),
        Status::Verified,
        "second writer lost the first's change"
    );
    assert_eq!(status("alb-02"), Status::False);
}

#[test]
fn refresh_picks_up_another_writers_change() {
    let dir = copy_of_claims();
    let mut mine = Desk::load(dir.path()).expect("loads");
    let mut theirs = Desk::load(dir.path()).expect("loads");
    assert!(!mine.changed_on_disk());
    theirs
        .apply(&change("alb-03", Status::Misleading))
        .expect("apply");
    assert!(mine.changed_on_disk());
    let outcome = mine.refresh();
    assert!(outcome.changed && outcome.problems.is_empty());
    let c = mine
        .get(mine.find(&ClaimId("alb-03".into())).expect("id"))
        .expect("c");
    assert_eq!(c.status, Status::Misleading);
}

#[test]
fn the_article_body_is_read_back_on_demand_and_kept_once_read() {
    let dir = copy_of_claims();
    let whole = store::load_file(&data_file(dir.path()), None).expect("valid");
    let desk = Desk::load(dir.path()).expect("loads");
    let r = desk.find(&ClaimId("alb-03".into())).expect("id");
    // The desk does not hold the body: a million claims' articles are 140 MB.
    let kept = desk.doc(r).expect("doc");
    assert!(kept.article.paragraphs.is_empty());
    assert_eq!(kept.article.title, whole.article.title);
    assert_eq!(desk.article(r), Ok(&whole.article));
    // Once read, it stays, whatever becomes of the file.
    fs::remove_file(data_file(dir.path())).expect("remove");
    assert_eq!(desk.article(r), Ok(&whole.article));
    // A desk that never read it says why it cannot, naming the file.
    let mut other = Desk::load(copy_of_claims().path()).expect("loads");
    other.files[r.file()] = other.files[r.file()].at(data_file(dir.path()).into());
    let why = other.article(r).expect_err("the file is gone");
    assert!(
        why.contains("000_albania-iran-cyberattacks.yaml") && why.contains("read back"),
        "{why}"
    );
}

#[test]
fn settings_are_optional_and_their_errors_are_located() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("a.yaml"), GOOD).expect("write");
    let desk = Desk::load(dir.path()).expect("no settings file is fine");
    assert_eq!(desk.settings, claimdesk::model::Settings::default());

    fs::write(
        dir.path().join("claimdesk.yaml"),
        "display:\n  bidi: sideways\n",
    )
    .expect("write");
    let err = Desk::load(dir.path()).expect_err("bad bidi").to_string();
    assert!(err.contains("claimdesk.yaml:2:"), "{err}");
    assert!(err.contains("sideways") && err.contains("auto"), "{err}");

    fs::write(
        dir.path().join("claimdesk.yaml"),
        "reviews_url: example.org\n",
    )
    .expect("write");
    let err = Desk::load(dir.path()).expect_err("bad url").to_string();
    assert!(
        err.contains("claimdesk.yaml:1:1") && err.contains("http(s)"),
        "{err}"
    );

    let shipped = store::load_settings(Path::new(SHIPPED)).expect("shipped settings are valid");
    assert!(shipped.organisation.is_some() && shipped.reviews_url.is_some());
}

#[test]
fn the_shipped_settings_spell_out_the_default_scale() {
    let shipped = store::load_settings(Path::new(SHIPPED)).expect("valid");
    assert_eq!(shipped.rating_scale, claimdesk::model::Scale::default());
}

const HALF_TRUE_SCALE: &str = "rating_scale:
  best: 3
  worst: 1
  statuses:
    - key: unreviewed
      label: To check
      digit: 1
    - key: half-true
      label: Half true
      digit: 7
      color: yellow
      rating: {value: 2, text: Half true}
    - key: \"false\"
      label: Wrong
      digit: 9
      color: red
      rating: {value: 1, text: Wrong}
";

#[test]
fn a_custom_scale_decides_which_statuses_claims_may_have() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Unquoted, `false` is a boolean to YAML readers: the file says so.
    let unquoted = HALF_TRUE_SCALE.replace("key: \"false\"", "key: false");
    fs::write(dir.path().join("claimdesk.yaml"), unquoted).expect("write");
    fs::write(dir.path().join("a.yaml"), GOOD).expect("write");
    let err = Desk::load(dir.path()).expect_err("an unquoted false key");
    assert!(
        err.to_string()
            .contains("claimdesk.yaml:13:12: quote this value: key: \"false\""),
        "{err}"
    );
    fs::write(dir.path().join("claimdesk.yaml"), HALF_TRUE_SCALE).expect("write");
    let body = GOOD.replacen("status: unreviewed", "status: half-true", 1);
    fs::write(dir.path().join("a.yaml"), &body).expect("write");
    let mut desk = Desk::load(dir.path()).expect("half-true is on this desk's scale");
    let half = desk
        .settings
        .rating_scale
        .parse("Half_True")
        .expect("parses");
    assert!(desk.settings.rating_scale.is_verdict(half));
    desk.apply(&change("c2", Status::False))
        .expect("false is on the scale too");

    // `verified` is a default status, but not on this desk.
    fs::write(
        dir.path().join("a.yaml"),
        body.replacen("status: half-true", "status: verified", 1),
    )
    .expect("write");
    let err = Desk::load(dir.path())
        .expect_err("not on the scale")
        .to_string();
    assert!(err.contains("a.yaml:27:"), "{err}");
    assert!(
        err.contains("unknown status `verified`") && err.contains("unreviewed, half-true, false"),
        "{err}"
    );

    fs::write(
        dir.path().join("claimdesk.yaml"),
        HALF_TRUE_SCALE.replace("digit: 9", "digit: 7"),
    )
    .expect("write");
    let err = Desk::load(dir.path()).expect_err("digit twice").to_string();
    assert!(
        err.contains("claimdesk.yaml:1:") && err.contains("digit 7 is already used"),
        "{err}"
    );
}

/// The tricky plain scalars of YAML 1.1 and 1.2.
const TRICKY: &[&str] = &[
    "false",
    "no",
    "yes",
    "on",
    "off",
    "y",
    "null",
    "~",
    "0x10",
    "1e3",
    "0o17",
    ".inf",
    "2022-09-12",
    "12:30",
    "NO",
    "True",
    "1_000",
    "012",
    "+1",
];

/// GOOD with claim c1's note set to `value` as written, and maybe a note
/// with `!` on c2 (which once sent the file down another parse path).
fn with_note(value: &str, exclaim: bool) -> String {
    let mut text = GOOD.replacen(
        "    status: unreviewed\n    history: []\n  - id: c2",
        &format!("    status: unreviewed\n    note: {value}\n    history: []\n  - id: c2"),
        1,
    );
    if exclaim {
        text = text.replacen(
            "    text: paragraph",
            "    note: \"Wow!\"\n    text: paragraph",
            1,
        );
    }
    assert!(text.contains(&format!("note: {value}")), "fixture changed");
    text
}

#[test]
fn a_text_field_takes_a_plain_scalar_only_when_every_reader_reads_text() {
    for s in TRICKY {
        let plain = problems_of(with_note(s, false).as_bytes());
        assert!(
            plain.contains(&format!("a.yaml:28:11: quote this value: note: \"{s}\"")),
            "{s}: {plain}"
        );
        // The same reading whatever else the file holds.
        let after = |p: &str| p.split_once("a.yaml:").map(|(_, r)| r.to_string());
        let exclaimed = problems_of(with_note(s, true).as_bytes());
        assert_eq!(after(&exclaimed), after(&plain), "{s}");
        // Quoted, it is the text it says.
        let quoted = with_note(&format!("\"{s}\""), true);
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("a.yaml"), quoted).expect("write");
        let desk = Desk::load(dir.path()).unwrap_or_else(|p| panic!("{s}: {p}"));
        let c = desk
            .get(desk.find(&ClaimId("c1".into())).expect("c1"))
            .expect("claim");
        assert_eq!(c.note.as_deref(), Some(*s));
    }
    for (field, value) in [("status", "false"), ("by", "0x10"), ("country", "NO")] {
        let text = match field {
            "status" => GOOD.replacen("    status: unreviewed", "    status: false", 1),
            "country" => GOOD.replacen("    kind: government\n", "    kind: government\n    country: NO\n", 1),
            _ => GOOD.replacen(
                "    history: []",
                "    history:\n      - at: \"2026-11-28T10:00:00Z\"\n        by: 0x10\n        status: unreviewed\n        previous: unreviewed",
                1,
            ),
        };
        let p = problems_of(text.as_bytes());
        assert!(
            p.contains(&format!("quote this value: {field}: \"{value}\"")),
            "{p}"
        );
    }
}

#[test]
fn what_we_refuse_is_what_pyyaml_reads_as_no_string() {
    let probe = std::process::Command::new("python3")
        .args(["-c", "import yaml"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        // Straight to stderr: the harness hides `eprintln!` of a passing test.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED what_we_refuse_is_what_pyyaml_reads_as_no_string: python3 with PyYAML is not installed"
        );
        return;
    }
    // Every scalar PyYAML (a YAML 1.1 reader) takes for something else we
    // refuse; what we take as text, PyYAML does too.
    let ours_text = [
        "verified",
        "yesterday",
        "Nato",
        "v1.2",
        "12:30 am",
        "2022-09",
        "نعم",
    ];
    let mut all: Vec<&str> = TRICKY.to_vec();
    all.extend(ours_text);
    let script = "import sys, yaml\nfor line in sys.stdin.read().splitlines():\n    v = yaml.safe_load('k: ' + line)['k']\n    print(type(v).__name__)\n";
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(all.join("\n").as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("python3 runs");
    let types: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(
        types.len(),
        all.len(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (s, t) in all.iter().zip(&types) {
        let refused = problems_of(with_note(s, false).as_bytes()).contains("quote this value");
        if t != "str" {
            assert!(refused, "PyYAML reads {s:?} as {t}, and we took it as text");
        }
        if !refused {
            assert_eq!(t, "str", "{s:?}");
        }
    }
    for s in ours_text {
        assert!(
            !problems_of(with_note(s, false).as_bytes()).contains("quote this value"),
            "{s}"
        );
    }
}

#[test]
fn a_history_time_that_is_not_rfc3339_utc_is_a_located_error() {
    let text = GOOD.replacen(
        "    history: []",
        "    history:\n      - at: yesterday\n        by: alice\n        status: unreviewed\n        previous: unreviewed",
        1,
    );
    let p = problems_of(text.as_bytes());
    assert!(
        p.contains(
            "a.yaml:29:1: claim `c1`: history entry 1: `at: yesterday` is not an RFC 3339 UTC time"
        ),
        "{p}"
    );
    let ok = text.replacen("at: yesterday", "at: \"2026-11-28T10:00:00Z\"", 1);
    assert_eq!(problems_of(ok.as_bytes()), "<loaded>");
}

/// Quoted spans of `text`: what sits between pairs of straight or guillemet quotes.
fn quotations(text: &str) -> Vec<&str> {
    text.split(['"', '«', '»', '“', '”'])
        .skip(1)
        .step_by(2)
        .collect()
}

#[test]
fn a_quoted_statement_stays_quoted_in_its_translation() {
    let desk = Desk::load(Path::new(SHIPPED)).expect("shipped claims load");
    for (_, claim) in desk.claims() {
        // A quotation of three words or more is someone's words; a quoted name
        // (the agency "فارس") is not.
        let quotes_words = quotations(&claim.text)
            .iter()
            .any(|q| q.split_whitespace().count() >= 3);
        if quotes_words {
            assert!(
                !quotations(&claim.translation).is_empty(),
                "{}: the Arabic quotes someone, the translation drops the quotation marks",
                claim.id
            );
        }
    }
}

#[test]
fn no_claim_repeats_another_claims_text() {
    let desk = Desk::load(Path::new(SHIPPED)).expect("shipped claims load");
    let mut seen = std::collections::HashMap::new();
    for (_, claim) in desk.claims() {
        if let Some(first) = seen.insert(claim.text.trim().to_string(), claim.id.clone()) {
            panic!("{} repeats the text of {first}", claim.id);
        }
    }
}
