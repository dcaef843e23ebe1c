//! The canonical reader against serde_yaml, on every shape the desk writes.

use super::*;
use crate::model::Document;
use serde_yaml::{Number, Value};

/// The value tree of `text`, when it is in the desk's own shape.
fn parse(text: &str) -> Option<Value> {
    read(text)
}

/// Both readers give the same tree and the same document.
fn same_as_serde_yaml(text: &str) {
    let ours = parse(text).expect("the desk's own shape is read");
    let theirs: Value = serde_yaml::from_str(text).expect("serde_yaml reads it");
    assert_eq!(ours, theirs);
    let doc: Document = read(text).expect("a document");
    let direct: Document = serde_yaml::from_str(text).expect("typed");
    assert_eq!(doc, direct);
}

fn tricky() -> Vec<String> {
    [
        "",
        " lead",
        "trail ",
        "yes",
        "No",
        "null",
        "~",
        "007",
        "3",
        "-1",
        "1.5",
        "0x10",
        "2022-09-12",
        "a: b",
        "a #b",
        "ends:",
        "- dash",
        "#hash",
        "[x]",
        "{y}",
        "'single'",
        "\"double\"",
        "back\\slash",
        "tab\there",
        "line\nbreak",
        "cr\rhere",
        "nbsp\u{a0}x",
        "\u{202e}bidi",
        "\u{1b}esc",
        "\0nul",
        "colon:inside",
        "<<",
        "=",
        "@at",
        "`tick",
        "%pct",
        "!bang",
        "&amp",
        "*star",
        "|pipe",
        ">gt",
        "?q",
        ",comma",
        "قال \"الوزير\"",
        "emoji 🇦🇱",
        "true",
        "False",
        "on",
        "Off",
        "y",
        "n",
        ".5",
        "+1",
        "١٢٣",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

#[test]
fn what_the_desk_writes_reads_the_same_as_with_serde_yaml() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("claims");
    let desk = crate::store::Desk::load(&dir).expect("the shipped claims load");
    for f in desk.files.iter() {
        let text = std::fs::read_to_string(&f.path).expect("read");
        same_as_serde_yaml(&text);
        same_as_serde_yaml(&crate::store::render(f.doc().expect("a document")).expect("render"));
    }
    same_as_serde_yaml(&crate::store::render(&crate::synth::document(0, 30, 3)).expect("render"));
}

#[test]
fn tricky_strings_in_every_place_read_back_as_written() {
    let mut doc = crate::synth::document(2, 4, 9);
    let sources = doc.sources.len();
    for (i, s) in tricky().into_iter().enumerate() {
        doc.sources[i % sources].name_original = s.clone();
        let c = &mut doc.claims[i % 4];
        c.evidence.push(s.clone());
        c.note = Some(s.clone());
        doc.article.paragraphs.push(s.clone());
        c.extra
            .insert(Value::String(format!("k{i}")), Value::String(s.clone()));
        if !s.is_empty() {
            c.extra
                .insert(Value::String(s.clone()), Value::Number(Number::from(i)));
        }
        let text = crate::store::render(&doc).expect("render");
        same_as_serde_yaml(&text);
    }
    doc.claims[0].extra.insert("flag".into(), Value::Bool(true));
    doc.claims[0]
        .extra
        .insert("neg".into(), Value::Number(Number::from(-4)));
    doc.claims[0]
        .extra
        .insert("empty".into(), Value::Sequence(vec![]));
    doc.claims[0].extra.insert(
        "nested".into(),
        Value::Sequence(vec![Value::Sequence(vec!["a".into()])]),
    );
    same_as_serde_yaml(&crate::store::render(&doc).expect("render"));
}

#[test]
fn lists_are_read_at_their_length() {
    let doc = crate::synth::document(0, 5, 3);
    let text = crate::store::render(&doc).expect("render");
    let read: Document = read(&text).expect("read");
    assert_eq!(read.claims.len(), 5);
    assert_eq!(read.claims.capacity(), 5, "no room held past the claims");
    assert_eq!(read.sources.capacity(), read.sources.len());
}

#[test]
fn a_claim_saying_a_field_twice_is_refused_where_it_says_it_again() {
    let doc = crate::synth::document(0, 2, 1);
    let text = crate::store::render(&doc).expect("render");
    let id_line = format!("  - id: {}\n", doc.claims[1].id);
    let id_at = text
        .lines()
        .position(|l| l == id_line.trim_end())
        .unwrap_or(0)
        + 1;
    // What is said again, and the line it was first said on.
    for (twice, first) in [
        ("    id: again\n", id_at),
        ("    status: verified\n", id_at + 1),
        ("    own: 1\n    own: 2\n", id_at + 1),
    ] {
        let bad = text.replacen(&id_line, &format!("{id_line}{twice}"), 1);
        assert_ne!(bad, text);
        assert_eq!(read::<Document>(&bad), None, "{twice:?}");
        // Nor does the guarded path take it: the file says where.
        let err = crate::store::parse_document(std::path::Path::new("a.yaml"), &bad, None)
            .expect_err("refused")
            .to_string();
        let key = twice.trim().split(':').next().unwrap_or_default();
        assert!(err.contains(&format!("`{key}` is said twice")), "{err}");
        assert!(err.contains(&format!("first on line {first}")), "{err}");
    }
    // Refused by the reader itself, whatever its reader would let by:
    // here, a key it ignores.
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Only {
        a: u32,
    }
    assert_eq!(read("a: 1\nb: 2\n"), Some(Only { a: 1 }));
    assert_eq!(read::<Only>("a: 1\nb: 2\nb: 3\n"), None);
    let many: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
    assert_eq!(read::<Only>(&format!("a: 1\n{many}")), Some(Only { a: 1 }));
    assert_eq!(read::<Only>(&format!("a: 1\n{many}k3: 3\n")), None);
}

#[test]
fn a_text_field_holding_a_number_is_refused_where_it_is() {
    let doc = crate::synth::document(0, 2, 1);
    let text = crate::store::render(&doc).expect("render");
    let id_line = format!("  - id: {}\n", doc.claims[1].id);
    let bad = text.replacen(&id_line, "  - id: 12\n", 1);
    assert_ne!(bad, text);
    let err = crate::store::parse_document(std::path::Path::new("a.yaml"), &bad, None)
        .expect_err("refused");
    assert!(err.to_string().contains("a.yaml:"), "{err}");
    assert!(err.to_string().contains("quote"), "{err}");
}

#[test]
fn deep_indentation_is_left_to_the_guarded_path() {
    let mut text = String::new();
    for level in 0..200 {
        text.push_str(&" ".repeat(2 * level));
        text.push_str("a:\n");
    }
    text.push_str(&" ".repeat(400));
    text.push_str("b: 1\n");
    assert_eq!(parse(&text), None);
}

#[test]
fn other_writers_shapes_read_the_same_as_with_serde_yaml() {
    for text in [
        "a: 1\n\nb: 2\n",
        "# comment\na: 1\n",
        "a: 1 # comment\n",
        "a: 'single'\n",
        "a: \"\\x41\"\n",
        "a:\n   b: 1\n",
        "a:\n    - x\n    - z\n",
        "a:\n- x\n- z\nb: 2\n",
        "a:\n- k: 1\n  l:\n  - m\n  o: 2\nb: 3\n",
        "a:    # the body\n  - x\n",
        "\"a\": 1\n'b': 2\n",
        "a: |\n  text\n",
        "a: |\n  line one\n  line two\nb: x\n",
        "a: >-\n  folded\n  text\n",
        "a: plain text\n  folded over lines\nb: 2\n",
        "a: \"quoted\n  folded\"\nb: 2\n",
        "a: \"escaped\\\n  \\ break\"\n",
        "a:\n-   x\n-   k: 1\n    l: 2\n",
        "a: 1   \nb: 2\n",
        "a: 1\n   \nb: 2\n",
    ] {
        let ours = parse(text);
        let theirs: Option<Value> = serde_yaml::from_str(text).ok();
        assert!(ours.is_some(), "not read: {text:?}");
        assert_eq!(ours, theirs, "{text:?}");
    }
}

#[test]
fn anything_else_is_left_to_serde_yaml() {
    for text in [
        "a: [1, 2]\n",
        "a: {b: 1}\n",
        "a: 1\na: 2\n",
        "a: 1.5\n",
        "a: 007\n",
        "a: null\n",
        "a:\nb: 1\n",
        "a: yes\n",
        "a: *ref\n",
        "a: &x 1\n",
        "a: !!str x\n",
        "---\na: 1\n",
        "a: 1\r\n",
        "a: \"open\n",
        "a:b\n",
        "a:\n\tb: 1\n",
        "a: x\n  b: 1\n",
        "a:\n  b: 1\n c: 2\n",
        " a: 1\n",
        "a: - x\n",
    ] {
        assert_eq!(parse(text), None, "{text:?}");
    }
}

/// PyYAML's own output, in each of its styles, read as serde_yaml reads
/// it: the files other tools write come through the fast reader.
#[test]
fn what_pyyaml_writes_reads_the_same_as_with_serde_yaml() {
    let doc = crate::synth::newsroom_document(1, 12, 5);
    let json = serde_json::to_string(&doc).expect("json");
    let script = r#"
import json, sys, yaml
doc = json.load(sys.stdin)
styles = [dict(), dict(default_flow_style=False, width=60), dict(indent=4), dict(width=1000)]
for style in styles:
    sys.stdout.write(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, **style))
    sys.stdout.write("\0")
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            if let Some(mut stdin) = child.stdin.take() {
                stdin.write_all(json.as_bytes())?;
            }
            child.wait_with_output()
        });
    let out = match out {
        Ok(o) if o.status.success() => o,
        other => {
            eprintln!("SKIPPED: python3 with PyYAML is not available ({other:?})");
            return;
        }
    };
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let files: Vec<&str> = text.split('\0').filter(|f| !f.is_empty()).collect();
    assert_eq!(files.len(), 4);
    for file in files {
        let ours = parse(file).unwrap_or_else(|| panic!("not read:\n{file}"));
        let theirs: Value = serde_yaml::from_str(file).expect("serde_yaml reads it");
        assert_eq!(ours, theirs);
        let read: Document = read(file).expect("a document");
        assert_eq!(read, doc);
    }
}

/// The desk's loading reads paragraphs past: the same document, but each
/// paragraph empty, and the same files refused.
#[test]
fn a_lean_read_counts_paragraphs_and_refuses_what_a_full_read_refuses() {
    let doc = crate::synth::newsroom_document(2, 6, 4);
    let quoted = crate::synth::quoted_text(&doc);
    let plain = crate::store::render(&doc).expect("render");
    for text in [&quoted, &plain] {
        let full: Document = read(text).expect("read");
        let lean: Document = read_lean(text).expect("read lean");
        assert_eq!(lean.article.paragraphs.len(), full.article.paragraphs.len());
        assert!(lean.article.paragraphs.iter().all(String::is_empty));
        let mut emptied = full.clone();
        emptied
            .article
            .paragraphs
            .iter_mut()
            .for_each(String::clear);
        assert_eq!(lean, emptied);
    }
    // A paragraph with an escape YAML has not: neither reader takes it.
    let first = &doc.article.paragraphs[0];
    let words: Vec<&str> = first.split(' ').collect();
    for bad in ["\\q", "\\x4", "\\u12", "\\é"] {
        let broken = quoted.replacen(words[1], &format!("{}{bad}", words[1]), 1);
        assert_ne!(broken, quoted);
        assert_eq!(read::<Document>(&broken), None, "{bad}");
        assert_eq!(read_lean::<Document>(&broken), None, "{bad}");
    }
}
