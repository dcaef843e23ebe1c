//! The claims as a table: CSV (RFC 4180, UTF-8, formulas defused) and an
//! Excel workbook in which every cell is text, Arabic reads right to left,
//! and the header and widths are set.

use rust_xlsxwriter::{Format, Workbook};

use crate::query::SourceTree;
use crate::store::Desk;
use crate::text;

const HEADER: [&str; 12] = [
    "id",
    "article",
    "source_id",
    "source",
    "status",
    "paragraph",
    "text",
    "translation",
    "note",
    "evidence",
    "last_changed",
    "last_changed_by",
];

/// Column widths in the workbook, in characters.
const WIDTHS: [f64; 12] = [
    10.0, 28.0, 22.0, 28.0, 13.0, 10.0, 60.0, 60.0, 40.0, 40.0, 22.0, 16.0,
];

/// One row a claim, in desk order.
fn rows(desk: &Desk) -> Vec<[String; 12]> {
    let tree = SourceTree::of(desk);
    desk.claims()
        .filter_map(|(r, c)| {
            let doc = desk.doc(r)?;
            let last = c.history.last();
            Some([
                c.id.0.to_string(),
                doc.article.id.clone(),
                c.source.0.to_string(),
                tree.name(&c.source).to_string(),
                c.status.key().to_string(),
                c.paragraph.map(|n| n.to_string()).unwrap_or_default(),
                c.text.clone(),
                c.translation.clone(),
                c.note.clone().unwrap_or_default(),
                c.evidence.join(" "),
                last.map(|h| h.at.clone()).unwrap_or_default(),
                last.map(|h| h.by.clone()).unwrap_or_default(),
            ])
        })
        .collect()
}

/// A spreadsheet cell: quoted, and defused when a spreadsheet would read it as a formula.
pub(super) fn csv_field(s: &str) -> String {
    let defused = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", defused.replace('"', "\"\""))
}

/// One row per claim, RFC 4180 quoting, UTF-8.
pub fn csv(desk: &Desk) -> String {
    let mut out = HEADER.join(",");
    out.push_str("\r\n");
    for row in rows(desk) {
        let cells: Vec<String> = row.iter().map(|c| csv_field(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The claims as an Excel workbook (xlsx): one sheet, a header row, every
/// cell written as text, right-to-left cells where the text is Arabic.
pub fn xlsx(desk: &Desk) -> Result<Vec<u8>, String> {
    let fail = |e: rust_xlsxwriter::XlsxError| format!("cannot build the workbook: {e}");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("claims").map_err(fail)?;
    let bold = Format::new().set_bold();
    let ltr = Format::new().set_text_wrap();
    let rtl = Format::new().set_text_wrap().set_reading_direction(2);
    for (col, (h, w)) in HEADER.iter().zip(WIDTHS).enumerate() {
        let col = col as u16;
        sheet
            .write_string_with_format(0, col, *h, &bold)
            .map_err(fail)?;
        sheet.set_column_width(col, w).map_err(fail)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    for (i, row) in rows(desk).iter().enumerate() {
        let r = i as u32 + 1;
        for (col, value) in row.iter().enumerate() {
            // Text, never a formula, number or boolean: `false` stays the word.
            let clean = text::sanitize(value);
            let format = if text::is_rtl(&clean) { &rtl } else { &ltr };
            sheet
                .write_string_with_format(r, col as u16, clean.as_ref(), format)
                .map_err(fail)?;
        }
    }
    book.save_to_buffer().map_err(fail)
}
