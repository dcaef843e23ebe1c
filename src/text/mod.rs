//! What a string needs before a terminal sees it: sanitising, display width,
//! wrapping, truncation; bidirectional order in `bidi`, and which terminal
//! wants which order in `terminal`. Widths are measured per grapheme, as
//! ratatui's buffer does.

use std::borrow::Cow;
use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

mod bidi;
mod fold;
mod sentences;
pub mod terminal;
pub use bidi::{
    Bidi, LRM, RLM, has_rtl, mirror, rtl_marks, shape, shape_unpadded, visual, visual_order,
    visual_order_styled,
};
pub use fold::{contains_from_word_start, fold, fold_into, fold_squashed_into, search_key, words};
pub(crate) use sentences::push_trimmed;
pub use sentences::{commas_outside_quotes, sentences};

/// Characters that must never reach a terminal, a file or an export as they
/// are. Control characters (C0, DEL, C1) could drive a terminal: clear the
/// screen, set the title, write the clipboard. Bidi marks, overrides and
/// isolates, invisible spaces and line separators could silently make text
/// read differently from what the file holds. The one list: the screen shows
/// these visibly, the YAML writer and every exporter escape them.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{ad}' | '\u{061c}' | '\u{200b}' | '\u{200e}' | '\u{200f}'
            | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// How an unsafe character shows on a terminal line.
fn visible(c: char) -> Option<Cow<'static, str>> {
    if c == '\u{a0}' {
        return Some(" ".into());
    }
    if !is_unsafe(c) {
        return None;
    }
    Some(match c {
        '\u{1b}' => "␛".into(),
        '\t' => " ".into(),
        '\u{7f}' => "␡".into(),
        c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32)
            .map(|p| Cow::Owned(p.to_string()))
            .unwrap_or(Cow::Borrowed("?")),
        c => format!("\\u{{{:x}}}", c as u32).into(),
    })
}

/// The longest text a "did you mean" is looked for: past it, a typo is
/// not what happened (and comparing would cost its length squared).
const MAX_SUGGESTED: usize = 64;

/// The candidate nearest to `given` by edit distance, if it is plausibly a
/// typo of it (at most a third of its letters, two at least). Linear in
/// the candidates whatever the text: long ones are not compared, and each
/// comparison stays in a band and stops once it cannot win.
pub fn closest<'a>(given: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let given: Vec<char> = given.to_lowercase().chars().collect();
    if given.len() > MAX_SUGGESTED {
        return None;
    }
    let mut best: Option<(usize, &str)> = None;
    let mut theirs: Vec<char> = Vec::with_capacity(MAX_SUGGESTED);
    for c in candidates {
        if c.len() > 4 * MAX_SUGGESTED {
            continue;
        }
        theirs.clear();
        theirs.extend(c.chars().flat_map(char::to_lowercase));
        if theirs.len() > MAX_SUGGESTED {
            continue;
        }
        let allowed = (theirs.len() / 3).max(2);
        let bound = best.map_or(allowed, |(d, _)| allowed.min(d.saturating_sub(1)));
        if let Some(d) = bounded_distance(&given, &theirs, bound)
            && best.is_none_or(|(b, _)| d < b)
        {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// The edit distance of `a` and `b` if it is at most `k`: only the band
/// of cells within `k` of the diagonal is computed, and a row whose every
/// cell is past `k` ends it.
fn bounded_distance(a: &[char], b: &[char], k: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > k {
        return None;
    }
    let inf = k + 1;
    let mut prev: Vec<usize> = (0..=b.len()).map(|j| j.min(inf)).collect();
    let mut row = vec![inf; b.len() + 1];
    for i in 1..=a.len() {
        let lo = i.saturating_sub(k).max(1);
        let hi = (i + k).min(b.len());
        row.fill(inf);
        row[0] = i.min(inf);
        let mut least = row[0];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let d = (prev[j - 1] + cost).min(prev[j] + 1).min(row[j - 1] + 1);
            row[j] = d.min(inf);
            least = least.min(row[j]);
        }
        if least > k {
            return None;
        }
        std::mem::swap(&mut prev, &mut row);
    }
    (prev[b.len()] <= k).then_some(prev[b.len()])
}

/// A string safe to print on one terminal line: every control or bidi
/// formatting character replaced by a visible stand-in.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| visible(c).is_some()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match visible(c) {
            Some(v) => out.push_str(&v),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Cells a grapheme takes on screen, as ratatui's buffer measures it.
fn grapheme_width(g: &str) -> usize {
    g.width()
}

/// Cells a string takes on screen, summed per grapheme (`لا` is two cells,
/// though `unicode-width` measures the pair as one).
pub fn width(s: &str) -> usize {
    s.graphemes(true).map(grapheme_width).sum()
}

/// The longest prefix of `s` that fits in `max` cells, with `…` when cut.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut used = 0;
    let mut end = 0;
    for (i, g) in s.grapheme_indices(true) {
        let w = grapheme_width(g);
        if used + w > max - 1 {
            break;
        }
        used += w;
        end = i + g.len();
    }
    Cow::Owned(format!("{}…", s[..end].trim_end()))
}

/// `truncate`, cutting before a word rather than inside it when that keeps
/// at least half the room ("Government of…", not "Government of Alb…").
pub fn truncate_words(s: &str, max: usize) -> Cow<'_, str> {
    let cut = truncate(s, max);
    let Cow::Owned(short) = &cut else {
        return cut;
    };
    let kept = short.trim_end_matches('…');
    let mid_word = s[kept.len()..]
        .chars()
        .next()
        .is_some_and(|c| !c.is_whitespace());
    match kept.rfind(' ') {
        Some(space) if mid_word && width(&kept[..space]) * 2 >= max => {
            Cow::Owned(format!("{}…", kept[..space].trim_end()))
        }
        _ => cut,
    }
}

/// `fit` with `truncate_words`: pad or cut at a word to exactly `cols` cells.
pub fn fit_words(s: &str, cols: usize) -> String {
    pad(truncate_words(s, cols), cols)
}

/// Pad or cut `s` to exactly `cols` cells.
pub fn fit(s: &str, cols: usize) -> String {
    pad(truncate(s, cols), cols)
}

/// `cut` padded with spaces to `cols` cells.
fn pad(cut: Cow<'_, str>, cols: usize) -> String {
    let missing = cols.saturating_sub(width(&cut));
    let mut out = cut.into_owned();
    out.extend(std::iter::repeat_n(' ', missing));
    out
}

/// Whether a paragraph reads right to left (its first strong character is RTL).
pub fn is_rtl(s: &str) -> bool {
    for c in s.chars() {
        match unicode_bidi::bidi_class(c) {
            unicode_bidi::BidiClass::R | unicode_bidi::BidiClass::AL => return true,
            unicode_bidi::BidiClass::L => return false,
            _ => {}
        }
    }
    false
}

/// Runs of `s` that are all blank or all not, with where each starts: the
/// only places a line may break, so a URL, a timestamp, an id or a
/// hyphenated name stays whole, and punctuation stays with its word.
fn space_runs(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let rest = &s[at..];
        let first = rest.chars().next()?;
        let blank = first.is_whitespace();
        let len = rest
            .char_indices()
            .find(|(_, c)| c.is_whitespace() != blank)
            .map_or(rest.len(), |(i, _)| i);
        let start = at;
        at += len;
        Some((start, &s[start..at]))
    })
}

/// Wrap a paragraph to `cols` cells at spaces, in logical order. A word
/// longer than a line is broken between graphemes, never inside one.
pub fn wrap(s: &str, cols: usize) -> Vec<String> {
    wrap_ranges(s, cols)
        .into_iter()
        .map(|r| s[r].to_string())
        .collect()
}

/// Like `wrap`, as byte ranges of `s` (so callers can map styles onto lines).
pub fn wrap_ranges(s: &str, cols: usize) -> Vec<Range<usize>> {
    let cols = cols.max(1);
    let mut lines = Vec::new();
    // The line being built: where it starts and ends (exclusive), and its width.
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut used = 0;
    let trimmed = |start: usize, end: usize| start..start + s[start..end].trim_end().len();
    for (at, word) in space_runs(s) {
        let w = width(word);
        let blank = word.trim().is_empty();
        if blank && start.is_none() {
            continue; // no line starts with blanks
        }
        if used + w <= cols {
            start.get_or_insert(at);
            end = at + word.len();
            used += w;
            continue;
        }
        if let Some(st) = start.take() {
            lines.push(trimmed(st, end));
            used = 0;
        }
        if blank {
            continue;
        }
        if w <= cols {
            start = Some(at);
            end = at + word.len();
            used = w;
            continue;
        }
        for (gi, g) in word.grapheme_indices(true) {
            let gw = grapheme_width(g);
            if used + gw > cols && used > 0 {
                if let Some(st) = start.take() {
                    lines.push(st..end);
                }
                used = 0;
            }
            start.get_or_insert(at + gi);
            end = at + gi + g.len();
            used += gw;
        }
    }
    if let Some(st) = start {
        lines.push(trimmed(st, end));
    }
    if lines.is_empty() {
        lines.push(0..0);
    }
    lines
}

/// A paragraph ready for a terminal: sanitised, wrapped to `cols`, each line
/// in visual order, and whether it should be right-aligned.
pub fn layout(s: &str, cols: usize, bidi: Bidi) -> (Vec<String>, bool) {
    let clean = sanitize(s);
    let rtl = is_rtl(&clean);
    let lines = wrap(&clean, cols)
        .into_iter()
        .map(|l| visual(&l, rtl, bidi).into_owned())
        .collect();
    (lines, rtl)
}

/// A single-line cell: sanitised, cut to `cols` with an ellipsis, in visual order.
pub fn cell(s: &str, cols: usize, bidi: Bidi) -> String {
    let clean = sanitize(s);
    let first_line = clean.lines().next().unwrap_or("");
    let cut = truncate(first_line, cols);
    visual(&cut, is_rtl(&cut), bidi).into_owned()
}

/// The longest evidence URL the desk keeps.
pub const MAX_URL: usize = 2048;

/// What is wrong with `url` as evidence, if anything: it must be an http
/// or https URL with a host, with nothing in it that could hide what it
/// points to, and of a sane length.
pub fn url_problem(url: &str) -> Option<&'static str> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return Some("is not an http or https URL");
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    if host.is_empty() {
        return Some("has no host");
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || visible(c).is_some())
    {
        return Some("contains spaces or control characters");
    }
    if url.len() > MAX_URL {
        return Some("is longer than 2048 bytes");
    }
    None
}

/// A URL fit to become a terminal hyperlink: http(s) only, and nothing in it
/// that could end the escape sequence early or hide what it points to.
pub fn hyperlink_target(url: &str) -> Option<&str> {
    let url = url.trim();
    url_problem(url).is_none().then_some(url)
}

/// A history time (RFC 3339, UTC, as files keep it) as a reviewer reads
/// it: in their time zone, with its age ("2026-11-28 11:00 CET, 3 h ago").
/// Text that is not such a time is shown as it is.
pub fn when(at: &str, tz: &jiff::tz::TimeZone, now: jiff::Timestamp) -> String {
    let Ok(ts) = at.parse::<jiff::Timestamp>() else {
        return at.to_string();
    };
    let local = ts
        .to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%d %H:%M %Z")
        .to_string();
    let secs = now.as_second() - ts.as_second();
    let age = match secs {
        s if s < 0 => "in the future".to_string(),
        s if s < 60 => "just now".to_string(),
        s if s < 3600 => format!("{} min ago", s / 60),
        s if s < 48 * 3600 => format!("{} h ago", s / 3600),
        s => format!("{} days ago", s / 86_400),
    };
    format!("{local}, {age}")
}

/// The reviewer's time zone from a `TZ` value: an IANA name
/// (`Asia/Tokyo`, `:Europe/Tirana`) or a POSIX rule (`JST-9`); `None`
/// when it is neither.
pub fn time_zone(tz: &str) -> Option<jiff::tz::TimeZone> {
    let tz = tz.trim();
    let name = tz.strip_prefix(':').unwrap_or(tz);
    if name.is_empty() {
        return None;
    }
    jiff::tz::TimeZone::get(name)
        .or_else(|_| jiff::tz::TimeZone::posix(name))
        .ok()
}

/// `n` with its thousands separated by commas: 1,000,000.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncating_at_words() {
        assert_eq!(
            truncate_words("Government of Albania", 18),
            "Government of…"
        );
        assert_eq!(
            truncate_words("Government of Albania", 30),
            "Government of Albania"
        );
        // One long word is cut inside it: nothing shorter would be left.
        assert_eq!(truncate_words("Internationalisation", 8), "Interna…");
        // A cut that falls on a space already ends a word.
        assert_eq!(truncate_words("NATO member states", 6), "NATO…");
        assert_eq!(fit_words("US Embassy in Tirana", 15), "US Embassy in… ");
    }

    #[test]
    fn escapes_and_overrides_become_visible() {
        assert_eq!(sanitize("a\u{1b}]0;x\u{7}b"), "a␛]0;x␇b");
        assert_eq!(sanitize("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(sanitize("\u{9b}2J"), "\\u{9b}2J");
        assert!(matches!(sanitize("plain عربي"), Cow::Borrowed(_)));
    }

    #[test]
    fn harakat_take_no_cell_and_lam_alef_takes_two() {
        assert_eq!(width("كُتِبَ"), 3);
        assert_eq!(width("لا"), 2);
        assert_eq!(width("abc"), 3);
    }

    #[test]
    fn truncation_never_splits_a_grapheme() {
        let t = truncate("كُتِبَ كتاب", 3);
        assert_eq!(t, "كُتِ…");
        assert!(width(&t) <= 3);
    }

    #[test]
    fn wrapping_breaks_at_spaces_only_keeping_urls_times_ids_and_names_whole() {
        for (text, whole) in [
            (
                "seen at 2026-11-28T10:00:00Z by alice",
                "2026-11-28T10:00:00Z",
            ),
            (
                "see https://example.org/treasury-statement now",
                "https://example.org/treasury-statement",
            ),
            ("claim alb-07 and alb-41 again", "alb-07"),
            ("a cyberattack on e-Albania services", "e-Albania"),
            ("the word, then more words", "word,"),
            ("قال: «الهجوم»، ثم أضاف", "«الهجوم»،"),
        ] {
            for cols in 8..40 {
                let lines = wrap(text, cols);
                for l in &lines {
                    assert!(width(l) <= cols, "{l:?} wider than {cols}");
                }
                if width(whole) <= cols {
                    assert!(
                        lines.iter().any(|l| l.contains(whole)),
                        "{whole:?} split at {cols}: {lines:?}"
                    );
                }
                // When every word fits a line, no line starts with punctuation.
                if text.split_whitespace().all(|w| width(w) <= cols) {
                    assert!(
                        lines.iter().all(|l| !l.starts_with(['.', ',', '،'])),
                        "{lines:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn history_times_show_in_the_readers_zone_with_their_age() {
        let now: jiff::Timestamp = "2026-11-28T13:00:00Z".parse().expect("time");
        let tokyo = time_zone("JST-9").expect("a POSIX rule");
        assert_eq!(
            when("2026-11-28T10:00:00Z", &tokyo, now),
            "2026-11-28 19:00 JST, 3 h ago"
        );
        let utc = time_zone("UTC0").expect("UTC");
        assert_eq!(
            when("2026-11-28T12:59:30Z", &utc, now),
            "2026-11-28 12:59 UTC, just now"
        );
        assert_eq!(when("yesterday", &utc, now), "yesterday");
        assert!(time_zone("").is_none() && time_zone("Not/A_Zone!").is_none());
        if std::path::Path::new("/usr/share/zoneinfo/Europe/Tirana").exists() {
            let tirana = time_zone(":Europe/Tirana").expect("an IANA name");
            assert!(when("2026-11-28T10:00:00Z", &tirana, now).starts_with("2026-11-28 11:00 CET"));
        } else {
            // Straight to stderr: the harness hides `eprintln!` of a passing test.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED the IANA zone check: no /usr/share/zoneinfo (Debian: apt install tzdata)"
            );
        }
    }

    #[test]
    fn wrapping_respects_width_and_words() {
        let lines = wrap("one two three four", 9);
        assert_eq!(lines, vec!["one two", "three", "four"]);
        for l in wrap("هجوم إلكتروني آخر من نفس المعتدين", 10) {
            assert!(width(&l) <= 10, "{l}");
        }
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
    }

    #[test]
    fn arabic_is_reversed_by_grapheme_keeping_harakat_on_their_letter() {
        // logical: ba+fatha, ta; visual: ta, ba+fatha
        assert_eq!(visual("بَت", true, Bidi::Reorder), "تبَ");
        assert_eq!(visual("بَت", true, Bidi::Logical), "بَت");
        // Konsole reorders without mirroring: brackets go out mirrored, in place.
        assert_eq!(visual("يوليو (تموز)", true, Bidi::Logical), "يوليو )تموز(");
        assert_eq!(visual("NATO (2022)", false, Bidi::Logical), "NATO (2022)");
        // mlterm mirrors itself.
        assert_eq!(
            visual("يوليو (تموز)", true, Bidi::LogicalByLine),
            "يوليو (تموز)"
        );
    }

    #[test]
    fn numbers_and_latin_inside_arabic_keep_their_order() {
        // "in 2018 NATO" in Arabic: the digits and the Latin name read left to right.
        let v = visual("في 2018 NATO", true, Bidi::Reorder);
        assert!(v.contains("2018"), "{v}");
        assert!(v.contains("NATO"), "{v}");
        assert!(v.ends_with("يف"), "{v}");
        // Brackets are mirrored in RTL runs.
        assert_eq!(visual("يوليو (تموز)", true, Bidi::Reorder), "(زومت) ويلوي");
        // For kitty: the words in visual order, each word as written.
        assert_eq!(
            visual("يوليو (تموز)", true, Bidi::ReorderWords),
            "(تموز) يوليو"
        );
        assert_eq!(
            visual("قال NATO في 2022.", true, Bidi::ReorderWords),
            ".2022 في NATO قال"
        );
    }

    #[test]
    fn only_plain_web_urls_become_hyperlinks() {
        assert_eq!(
            hyperlink_target(" https://x.org/a?b=1 "),
            Some("https://x.org/a?b=1")
        );
        assert_eq!(hyperlink_target("javascript:alert(1)"), None);
        assert_eq!(hyperlink_target("https://x.org/\u{1b}\\"), None);
        assert_eq!(hyperlink_target("https://x.org/\u{202e}gpj.exe"), None);
        assert_eq!(hyperlink_target("see https://x.org"), None);
    }

    #[test]
    fn did_you_mean_finds_typos_and_costs_little_whatever_the_text() {
        let ids = ["alb-07", "alb-17", "nato", "us-treasury"];
        assert_eq!(closest("alb-7", ids.iter().copied()), Some("alb-07"));
        assert_eq!(closest("NATO", ids.iter().copied()), Some("nato"));
        assert_eq!(
            closest("us-treasry", ids.iter().copied()),
            Some("us-treasury")
        );
        assert_eq!(closest("white-house", ids.iter().copied()), None);
        // The band gives what the full table gives.
        for (a, b) in [
            ("kitten", "sitting"),
            ("alb-07", "alb-70"),
            ("", "ab"),
            ("abc", ""),
        ] {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let full =
                strsim::levenshtein(&a.iter().collect::<String>(), &b.iter().collect::<String>());
            assert_eq!(bounded_distance(&a, &b, 10), Some(full));
            assert_eq!(
                bounded_distance(&a, &b, full.saturating_sub(1)).filter(|_| full > 0),
                None
            );
        }
        // A 160 KB id is no typo of anything, and long ids are not compared
        // (the full table was 9.6 s for one such file).
        let long = "x".repeat(160_000);
        let many: Vec<String> = (0..1000).map(|i| format!("claim-{i}")).collect();
        assert_eq!(closest(&long, many.iter().map(String::as_str)), None);
        let long_ones = vec!["y".repeat(160_000); 50];
        assert_eq!(
            closest("claim-1", long_ones.iter().map(String::as_str)),
            None
        );
    }

    #[test]
    fn shaping_joins_letters_and_keeps_harakat() {
        // ba (initial) + ta (final); lam-alef becomes one ligature.
        assert_eq!(shape("بت"), "\u{fe91}\u{fe96}");
        // The ligature keeps the two cells its letters took: the line is
        // padded at its end, never between words (xterm showed
        // "الإلكترونية␣␣الإيرانية" when each word was padded).
        assert_eq!(shape("لا"), "\u{fefb} ");
        let line = "الهجمات الإلكترونية الإيرانية على ألبانيا";
        let shaped = shape(line);
        assert_eq!(width(&shaped), width(line));
        assert!(!shaped.trim_end().contains("  "), "{shaped:?}");
        assert_eq!(shaped.trim_end().matches(' ').count(), 4);
        let with_fatha = shape("بَت");
        assert!(
            with_fatha.contains('\u{64e}'),
            "harakat kept: {with_fatha:?}"
        );
        assert_eq!(shape("NATO 2022"), "NATO 2022");
        // Shaped, then reordered: the final form ends up on the left.
        assert_eq!(visual("بت", true, Bidi::ReorderShaped), "\u{fe96}\u{fe91}");
    }

    #[test]
    fn shaping_keeps_every_line_and_cell_its_width() {
        for line in [
            "لا",
            "الإلكترونية ولا سيما",
            "أعلنت ألبانيا قطع العلاقات الدبلوماسية مع إيران",
            "قال: «لا» (تموز) 2022 NATO",
            "كُتِبَ لَا",
        ] {
            let shaped = visual(line, true, Bidi::ReorderShaped);
            assert_eq!(width(&shaped), width(line), "{line} -> {shaped}");
            for cols in [3, 8, 15] {
                let c = cell(line, cols, Bidi::ReorderShaped);
                let plain = cell(line, cols, Bidi::Reorder);
                assert_eq!(width(&c), width(&plain), "{line} at {cols}: {c}");
            }
        }
    }

    #[test]
    fn punctuation_at_the_edge_of_arabic_gets_a_mark_on_its_outer_side() {
        let marks = |line: &str| {
            let cells: Vec<String> = line.chars().map(String::from).collect();
            rtl_marks(cells.iter().map(String::as_str))
                .iter()
                .enumerate()
                .flat_map(|(i, &(b, a))| {
                    let mut v = Vec::new();
                    if b {
                        v.push(format!("<{i}"));
                    }
                    if a {
                        v.push(format!("{i}>"));
                    }
                    v
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        // A full stop and a closing quote after Arabic: after the last one.
        assert_eq!(marks("في الماضي."), "9>");
        assert_eq!(marks("قال \"لا\"، ثم"), "<4 8>");
        // A cut's ellipsis, and brackets around an Arabic word.
        assert_eq!(marks("ab هجوم…"), "7>");
        assert_eq!(marks("(تموز) x"), "<0 5>");
        // Punctuation inside a word, between words, or in English: nothing.
        assert_eq!(marks("alb-01 · 24.ae"), "");
        assert_eq!(marks("هجوم - ثان"), "");
        assert_eq!(marks("NATO."), "");
        assert_eq!(marks("ثان.NATO"), "");
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(412_000), "412,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
