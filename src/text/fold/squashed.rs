//! `fold_squashed_into`, the folding of every claim of the desk for the
//! search index, byte by byte: the index of a million claims folds half a
//! gigabyte of text, and this is several times faster than going letter
//! by letter through a buffer of characters. It gives exactly what the
//! general folding (`fold_with`, squashed) gives; a test compares them.

use super::is_word_char;

/// `s` folded for the index and appended to `out` (see `fold_squashed_into`).
pub(super) fn fold_into(s: &str, out: &mut String) {
    // Written as bytes into a buffer kept for the thread, then appended
    // at once (checked as UTF-8: what is written is always whole letters).
    thread_local! {
        static BYTES: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BYTES.with_borrow_mut(|buf| {
        buf.clear();
        let spaced = out.ends_with(' ');
        fold_bytes(s, buf, spaced);
        match simdutf8::basic::from_utf8(buf) {
            Ok(folded) => out.push_str(folded),
            Err(_) => super::fold_with(s, out, 2, true),
        }
    });
}

/// The folding of `s` as bytes into `out`; `spaced` when what comes before
/// it ends with a space (a run of punctuation is one space).
fn fold_bytes(s: &str, out: &mut Vec<u8>, spaced: bool) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len());
    // Whether `out` ends with a space: known, not looked at.
    let mut space = spaced;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            let folded = ASCII[usize::from(b)];
            if folded != b' ' || !space {
                out.push(folded);
            }
            space = folded == b' ';
            i += 1;
            continue;
        }
        if (0xd8..=0xdb).contains(&b) && i + 1 < bytes.len() {
            let (read, letters) = arabic_run(&bytes[i..], out);
            i += read;
            if letters > 0 {
                space = false;
            }
            if read > 0 {
                continue;
            }
            // Not a letter of the block: a sign, a digit, punctuation.
            let cp = 0x600 + ((u32::from(b - 0xd8) << 6) | u32::from(bytes[i + 1] & 0x3f));
            i += 2;
            push_char(out, cp, &mut space);
            continue;
        }
        // Anything else: a character at a time, lower-cased. (Nothing
        // outside the Arabic block lower-cases to an Arabic letter.)
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        for l in c.to_lowercase() {
            push_char(out, l as u32, &mut space);
        }
    }
}

/// The run of Arabic letters (harakat and tatweel among them) at the
/// start of `bytes`, folded into `out`, its proclitics cut: how many bytes
/// it took, and how many letters it had (none: `bytes` starts with a
/// character of the block that is not a letter).
fn arabic_run(bytes: &[u8], out: &mut Vec<u8>) -> (usize, usize) {
    let start = out.len();
    let mut first = [0u16; 4];
    let mut letters = 0;
    let mut i = 0;
    while i + 1 < bytes.len() && (0xd8..=0xdb).contains(&bytes[i]) {
        let at = (usize::from(bytes[i] - 0xd8) << 6) | usize::from(bytes[i + 1] & 0x3f);
        let letter = ARABIC[at];
        if letter == OTHER {
            break;
        }
        i += 2;
        if letter == SKIP {
            continue;
        }
        if letters < 4 {
            first[letters] = letter;
        }
        letters += 1;
        out.push(0xc0 | (letter >> 6) as u8);
        out.push(0x80 | (letter & 0x3f) as u8);
    }
    if letters == 0 {
        // Only harakat: read past them; a non-letter waits for the caller.
        return (i, 0);
    }
    let cut = super::proclitics_of(&first[..letters.min(4)], letters, 2);
    if cut > 0 {
        out.drain(start..start + 2 * cut);
    }
    (i, letters)
}

/// What folding makes of each ASCII byte: a letter lower-cased, a digit
/// as it is, anything else a space.
static ASCII: [u8; 128] = ascii_table();

const fn ascii_table() -> [u8; 128] {
    let mut t = [b' '; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    t
}

/// What folding makes of each code point of the Arabic block (U+0600 plus
/// the index): the letter it folds to, or `SKIP` (harakat, tatweel), or
/// `OTHER` (not a letter: punctuation, digits, signs).
static ARABIC: [u16; 256] = arabic_table();
const SKIP: u16 = 0;
const OTHER: u16 = 1;

const fn arabic_table() -> [u16; 256] {
    let mut t = [OTHER; 256];
    let mut i = 0;
    while i < 256 {
        let cp = 0x600 + i as u16;
        t[i] = match cp {
            0x064b..=0x065f | 0x0670 | 0x0640 => SKIP,
            0x0622 | 0x0623 | 0x0625 | 0x0671 => 0x0627,
            0x0624 => 0x0648,
            0x0626 | 0x0649 => 0x064a,
            0x0629 => 0x0647,
            0x0621..=0x064a | 0x0672..=0x06d3 => cp,
            _ => OTHER,
        };
        i += 1;
    }
    t
}

/// A character that is not an Arabic letter: as it is if it is a letter
/// or digit, else a space (unless one is last already).
fn push_char(out: &mut Vec<u8>, cp: u32, space: &mut bool) {
    let Some(c) = char::from_u32(cp) else {
        return;
    };
    if is_word_char(c) {
        let mut utf8 = [0; 4];
        out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        *space = false;
    } else if !*space {
        out.push(b' ');
        *space = true;
    }
}

#[cfg(test)]
mod tests {
    use super::super::fold_with;

    /// A tiny deterministic generator, for strings of every kind of letter.
    fn strings(count: usize) -> Vec<String> {
        let pieces = [
            "ال",
            "و",
            "ف",
            "ب",
            "ك",
            "ل",
            "لل",
            "وال",
            "بال",
            "فال",
            "كال",
            "ناتو",
            "هجوم",
            "إيران",
            "أدانت",
            "آخر",
            "ٱلله",
            "مؤسسة",
            "بيئة",
            "على",
            "مدينة",
            "ـ",
            "َ",
            "ُ",
            "ِ",
            "ّ",
            "ٰ",
            "٣",
            "۴",
            "پ",
            "گ",
            "ی",
            " ",
            "  ",
            "،",
            ".",
            "(",
            ")",
            "-",
            "\"",
            "Iran",
            "NATO",
            "tirana",
            "É",
            "ß",
            "İ",
            "ΣΑΣ",
            "x",
            "7",
            "\u{a0}",
            "\t",
            "\n",
            "🇦🇱",
            "日本",
            "\u{200f}",
            "\u{202e}",
            "ﻻ",
            "ﺏ",
            "ٖ",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_f491_4f6c_dd1d)
        };
        (0..count)
            .map(|_| {
                let len = (next() % 12) as usize;
                (0..len)
                    .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                    .collect()
            })
            .collect()
    }

    #[test]
    fn folds_every_string_as_the_general_folding_does() {
        for s in strings(20_000) {
            for lead in ["", " ", "x", "ب"] {
                let (mut fast, mut general) = (lead.to_string(), lead.to_string());
                super::fold_into(&s, &mut fast);
                fold_with(&s, &mut general, 2, true);
                assert_eq!(fast, general, "{s:?} after {lead:?}");
            }
        }
    }
}
