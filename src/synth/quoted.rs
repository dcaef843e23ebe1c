//! Claims files as another YAML writer writes them, not as the desk does:
//! every text value double-quoted, sequences not indented under their key,
//! and long values folded over lines at 80 columns with an escaped line
//! break, as PyYAML does. A newsroom's files come from scripts and other
//! tools as often as from the desk, and the desk must read them as fast.

use serde_yaml::Value;

/// Where a long quoted value is folded.
const WIDTH: usize = 80;

/// `value` (a document's YAML tree) as another writer would write it.
pub fn emit(value: &Value) -> String {
    let mut out = String::new();
    if let Value::Mapping(m) = value {
        mapping(m, 0, &mut out);
    }
    out
}

fn mapping(m: &serde_yaml::Mapping, indent: usize, out: &mut String) {
    for (k, v) in m {
        let Some(key) = k.as_str() else { continue };
        out.push_str(&" ".repeat(indent));
        out.push_str(key);
        out.push(':');
        node(v, indent, out);
    }
}

/// The value of a key at `indent`, after its colon.
fn node(v: &Value, indent: usize, out: &mut String) {
    match v {
        Value::Mapping(m) if !m.is_empty() => {
            out.push('\n');
            mapping(m, indent + 2, out);
        }
        Value::Sequence(s) if !s.is_empty() => {
            out.push('\n');
            // PyYAML's style: a block sequence's dashes under its key.
            for item in s {
                out.push_str(&" ".repeat(indent));
                out.push('-');
                match item {
                    Value::Mapping(m) if !m.is_empty() => {
                        let mut first = true;
                        for (k, v) in m {
                            let Some(key) = k.as_str() else { continue };
                            if first {
                                out.push(' ');
                                first = false;
                            } else {
                                out.push_str(&" ".repeat(indent + 2));
                            }
                            out.push_str(key);
                            out.push(':');
                            node(v, indent + 2, out);
                        }
                    }
                    other => scalar(other, indent + 2, indent + 2, out),
                }
            }
        }
        other => scalar(other, indent + key_width(out), indent + 2, out),
    }
}

/// Columns already taken on the line being written.
fn key_width(out: &str) -> usize {
    out.rsplit('\n').next().map_or(0, |l| l.chars().count())
}

/// A scalar after a key or a dash; a string is double-quoted, and folded
/// onto lines indented by `fold_indent` when it runs past `WIDTH`.
fn scalar(v: &Value, _column: usize, fold_indent: usize, out: &mut String) {
    match v {
        Value::String(s) => {
            out.push(' ');
            quoted(s, fold_indent, out);
            out.push('\n');
        }
        Value::Bool(b) => out.push_str(if *b { " true\n" } else { " false\n" }),
        Value::Number(n) => {
            out.push(' ');
            out.push_str(&n.to_string());
            out.push('\n');
        }
        Value::Sequence(_) => out.push_str(" []\n"),
        Value::Mapping(_) => out.push_str(" {}\n"),
        Value::Null => out.push_str(" null\n"),
        Value::Tagged(_) => out.push_str(" null\n"),
    }
}

/// `s` double-quoted, with YAML's escapes; past `WIDTH` columns a space is
/// where the line breaks: `\` ends the line, `\ ` starts the next (the
/// escaped space keeps the space the break took).
fn quoted(s: &str, fold_indent: usize, out: &mut String) {
    out.push('"');
    let mut column = key_width(out);
    for c in s.chars() {
        if c == ' ' && column >= WIDTH {
            out.push_str("\\\n");
            out.push_str(&" ".repeat(fold_indent));
            out.push_str("\\ ");
            column = fold_indent + 2;
            continue;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
        column += 1;
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_writers_file_reads_back_as_the_same_document() {
        let doc = super::super::newsroom::document(3, 20, 9);
        let text = emit(&crate::store::yaml::to_value(&doc).expect("a tree"));
        assert!(
            text.contains("\nclaims:\n- id: \"n00003-00\"\n"),
            "{}",
            &text[..400]
        );
        assert!(text.contains("\\\n"), "nothing was folded");
        // Through the fast reader, not the guarded path.
        let fast: Option<crate::model::Document> = crate::store::canonical_read(&text);
        assert_eq!(fast.as_ref(), Some(&doc));
        let back = crate::store::parse_document(std::path::Path::new("n.yaml"), &text, None)
            .unwrap_or_else(|p| panic!("{p}"));
        assert_eq!(back, doc);
    }
}
