//! An editor's report in Markdown that renders inert: whatever a note, a
//! name or a URL holds shows as the text it is, never as HTML, a link, a
//! heading or a list. Per article, per source, each claim with its
//! translation, status, note (its paragraphs kept, quoted inside the claim)
//! and evidence (autolinks, http and https only).

use std::fmt::Write as _;

use crate::model::Claim;
use crate::query::SourceTree;
use crate::store::Desk;
use crate::text;

/// `s` as CommonMark shows it literally, within a line: HTML and inline
/// syntax escaped, line breaks as spaces, control characters visible.
pub fn inline(s: &str) -> String {
    let clean = text::sanitize(s);
    let mut out = String::with_capacity(clean.len() + 8);
    for c in clean.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '!' | '~' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// `s` as the start of a line: also what only means something there (a
/// list's `-` or `1.`, a setext underline `=`) is escaped.
pub fn line(s: &str) -> String {
    let t = inline(s.trim_start());
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    match t.as_bytes().first() {
        Some(b'-' | b'+' | b'=') => format!("\\{t}"),
        Some(b'0'..=b'9') if matches!(t.as_bytes().get(digits), Some(b'.' | b')')) => {
            format!("{}\\{}", &t[..digits], &t[digits..])
        }
        _ => t,
    }
}

/// `text`'s paragraphs as a quoted block, each line prefixed with `prefix`.
fn quoted(out: &mut String, prefix: &str, text: &str) {
    for l in text.split('\n') {
        let l = l.trim_end_matches('\r');
        if l.trim().is_empty() {
            let _ = writeln!(out, "{prefix}>");
        } else {
            let _ = writeln!(out, "{prefix}> {}", line(l));
        }
    }
}

fn claim(out: &mut String, c: &Claim) {
    let _ = writeln!(
        out,
        "- **{}** {} ({})",
        inline(c.status.key()),
        inline(&c.id.0),
        c.place()
    );
    quoted(out, "  ", &c.text);
    let _ = writeln!(
        out,
        "  - Translation: {}",
        inline(c.translation_or_pending())
    );
    if let Some(n) = &c.note {
        let _ = writeln!(out, "  - Note:\n");
        quoted(out, "    ", n);
    }
    for e in &c.evidence {
        match text::url_problem(e) {
            None => {
                let _ = writeln!(out, "  - Evidence: <{e}>");
            }
            Some(_) => {
                let _ = writeln!(out, "  - Evidence (not a web address): {}", inline(e));
            }
        }
    }
    if let Some(h) = c.history.last() {
        let _ = writeln!(
            out,
            "  - Last change: {} by {}",
            inline(&h.at),
            inline(&h.by)
        );
    }
}

/// The report: per article, per source.
pub fn markdown(desk: &Desk) -> String {
    let tree = SourceTree::of(desk);
    let mut out = String::new();
    for f in desk.files.iter() {
        let Some(doc) = f.doc() else { continue };
        let a = &doc.article;
        let _ = writeln!(out, "# {}\n", inline(a.english_title()));
        let _ = writeln!(
            out,
            "{} · {} · {} · {}\n",
            line(&a.title),
            inline(&a.outlet),
            inline(&a.author),
            inline(&a.published)
        );
        for (_, source) in tree.depth_first() {
            let claims: Vec<&Claim> = doc
                .claims
                .iter()
                .filter(|c| c.source == source.id)
                .collect();
            if claims.is_empty() {
                continue;
            }
            let _ = writeln!(out, "## {}\n", inline(&source.names()));
            for c in claims {
                claim(&mut out, c);
            }
            out.push('\n');
        }
    }
    out
}
