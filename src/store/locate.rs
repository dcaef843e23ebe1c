//! Finding the line of a section, item or key in a claims file's text.
//!
//! serde_yaml reports positions for syntax errors only. For problems found
//! after parsing (a dangling source id, a duplicate claim) we look the item up
//! in the text: our files are block-style YAML, so a line scan finds it.

use std::cell::OnceCell;
use std::collections::HashMap;

pub struct Locator<'a> {
    text: &'a str,
    /// The text's lines, split on the first lookup that needs them: most
    /// files read have no problem to locate.
    lines: OnceCell<Vec<&'a str>>,
    /// Where each top-level list's items start, built on the first lookup:
    /// a file with thousands of problems is scanned once, not once a problem.
    index: OnceCell<Index<'a>>,
}

#[derive(Default)]
struct Index<'a> {
    /// Per section: the 0-based lines its items start on.
    items: HashMap<&'a str, Vec<usize>>,
    /// Per section and id: the 0-based line of `id:`, or `None` if the id is
    /// there twice (then the item's position decides).
    ids: HashMap<(&'a str, &'a str), Option<usize>>,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The key of a `key: value` or `- key: value` line, and its value.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let t = line.trim_start();
    let t = t.strip_prefix("- ").unwrap_or(t).trim_start();
    let (k, v) = t.split_once(':')?;
    if k.is_empty() || k.contains(' ') {
        return None;
    }
    Some((k, v.trim()))
}

fn unquote(v: &str) -> &str {
    v.strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(v)
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Self {
        Locator {
            text,
            lines: OnceCell::new(),
            index: OnceCell::new(),
        }
    }

    fn lines(&self) -> &[&'a str] {
        self.lines.get_or_init(|| self.text.lines().collect())
    }

    fn index(&self) -> &Index<'a> {
        self.index.get_or_init(|| {
            let mut index = Index::default();
            let mut section: Option<&'a str> = None;
            let mut item_indent: Option<usize> = None;
            for (i, line) in self.lines().iter().enumerate() {
                if indent_of(line) == 0 && !line.trim().is_empty() {
                    section = key_value(line).map(|(k, _)| k);
                    item_indent = None;
                    continue;
                }
                let Some(sec) = section else { continue };
                let trimmed = line.trim_start();
                if trimmed.starts_with("- ") && item_indent.is_none_or(|n| n == indent_of(line)) {
                    item_indent = Some(indent_of(line));
                    index.items.entry(sec).or_default().push(i);
                }
                if let Some((k, v)) = key_value(line)
                    && k == "id"
                {
                    index
                        .ids
                        .entry((sec, unquote(v)))
                        .and_modify(|seen| *seen = None)
                        .or_insert(Some(i));
                }
            }
            index
        })
    }

    /// The 1-based line of a top-level key such as `claims:`.
    pub fn section_line(&self, section: &str) -> Option<usize> {
        (self.text.lines())
            .position(|l| indent_of(l) == 0 && key_value(l).is_some_and(|(k, _)| k == section))
            .map(|i| i + 1)
    }

    /// The line that starts item `index` of a top-level list, preferring the
    /// line of its `id:` when the id is known.
    pub fn item_line(&self, section: &str, id: &str, index: usize) -> Option<usize> {
        let idx = self.index();
        if !id.is_empty()
            && let Some(Some(line)) = idx.ids.get(&(section, id))
        {
            return Some(line + 1);
        }
        idx.items.get(section)?.get(index).map(|i| i + 1)
    }

    /// The column (1-based) where the item on `line` has its keys: after the `- `.
    pub fn item_column(&self, line: Option<usize>) -> usize {
        line.and_then(|l| self.lines().get(l - 1))
            .map(|text| {
                let t = text.trim_start();
                let dash = t.strip_prefix("- ").map_or(0, |rest| t.len() - rest.len());
                indent_of(text) + dash + 1
            })
            .unwrap_or(1)
    }

    /// The line of `key` within the item that starts at `item_line`, or the item's line.
    pub fn key_in_item(&self, item_line: usize, key: &str) -> usize {
        let (start, lines) = (item_line - 1, self.lines());
        let item_indent = indent_of(lines[start]);
        let mut i = start;
        while i < lines.len() {
            let line = lines[i];
            if i > start && !line.trim().is_empty() && indent_of(line) <= item_indent {
                break;
            }
            if key_value(line).is_some_and(|(k, _)| k == key) {
                return i + 1;
            }
            i += 1;
        }
        item_line
    }

    /// The line within the item at `item_line` where `key` has `value`
    /// (quoted or not), or the item's line.
    pub fn value_in_item(&self, item_line: usize, key: &str, value: &str) -> usize {
        let (start, lines) = (item_line - 1, self.lines());
        let item_indent = indent_of(lines[start]);
        for (i, line) in lines.iter().enumerate().skip(start) {
            if i > start && !line.trim().is_empty() && indent_of(line) <= item_indent {
                break;
            }
            if key_value(line).is_some_and(|(k, v)| k == key && unquote(v) == value) {
                return i + 1;
            }
        }
        item_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "article:\n  id: a\nsources:\n  - id: s1\n    name: x\nclaims:\n  - id: c1\n    status: unreviewed\n  - id: \"c2\"\n    status: bad\n";

    #[test]
    fn finds_items_by_id_and_by_position() {
        let l = Locator::new(TEXT);
        assert_eq!(l.section_line("claims"), Some(6));
        assert_eq!(l.item_line("claims", "c2", 0), Some(9));
        assert_eq!(l.item_line("claims", "", 1), Some(9));
        assert_eq!(l.item_line("sources", "s1", 0), Some(4));
        assert_eq!(l.key_in_item(9, "status"), 10);
        assert_eq!(l.key_in_item(7, "missing"), 7);
    }
}
