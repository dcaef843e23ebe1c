//! A saved web page as an article's text: the headline and the paragraphs
//! of the story, without the site around it (menus, headers, footers,
//! related links, scripts). html5ever parses it as a browser would.

use scraper::{ElementRef, Html, Selector};

/// Elements whose text is never the story.
const BOILERPLATE: &[&str] = &[
    "nav", "header", "footer", "aside", "form", "script", "style", "noscript", "figure", "button",
];

fn selector(css: &str) -> Option<Selector> {
    Selector::parse(css).ok()
}

/// The element's text with runs of whitespace made one space.
fn text_of(e: ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The deepest a page may nest its elements: articles nest a few dozen
/// deep; a page past this is not one (and would only cost time).
pub const MAX_DEPTH: usize = 512;

/// Why a page is not read as an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAnArticle(pub String);

fn too_deep() -> NotAnArticle {
    NotAnArticle(format!(
        "the page nests its elements over {MAX_DEPTH} deep; save the article's own page \
         (or paste its text) and import that"
    ))
}

/// Elements that never hold others, or whose end the parser supplies:
/// they do not deepen the page.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody",
    "tfoot", "colgroup", "rp", "rt", "html", "head", "body",
];

/// How deep the page's tags nest, counted on its text in one pass: start
/// tags in, end tags out, scripts and styles skipped, self-closing and
/// void elements (and those whose end is optional) not counted. The peak.
fn raw_depth(page: &str) -> usize {
    let b = page.as_bytes();
    let (mut depth, mut peak, mut i) = (0usize, 0usize, 0usize);
    while let Some(at) = memchr::memchr(b'<', &b[i..]) {
        i += at + 1;
        let closing = b.get(i) == Some(&b'/');
        let start = i + usize::from(closing);
        let name_len = b[start.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !b[start].is_ascii_alphabetic() {
            continue;
        }
        let name = page[start..start + name_len].to_ascii_lowercase();
        let end = memchr::memchr(b'>', &b[start..]).map_or(b.len(), |e| start + e);
        if closing {
            if !NOT_NESTING.contains(&name.as_str()) {
                depth = depth.saturating_sub(1);
            }
        } else if name == "script" || name == "style" {
            // Past its end tag, in any case, without copying the page (the
            // end tag is not counted: its start was not).
            let close = format!("</{name}");
            i = (end..b.len())
                .find(|&at| {
                    b[at] == b'<'
                        && b.get(at..at + close.len())
                            .is_some_and(|t| t.eq_ignore_ascii_case(close.as_bytes()))
                })
                .map_or(b.len(), |at| at + close.len());
            continue;
        } else if !NOT_NESTING.contains(&name.as_str()) && b.get(end.wrapping_sub(1)) != Some(&b'/')
        {
            depth += 1;
            peak = peak.max(depth);
        }
        i = end.min(b.len());
    }
    peak
}

/// What a paragraph element is: its text is taken whole, once.
fn is_paragraph(name: &str) -> bool {
    matches!(name, "p" | "h2" | "h3" | "blockquote")
}

/// The headline (the story's `h1`, else the page's `title`) and the
/// paragraphs: the `p`, `h2`, `h3` and quotes of the `article` (else
/// `main`, else the page), boilerplate dropped, as one paragraph per line.
/// One walk over the tree, each text gathered once (a quote's own
/// paragraphs are taken as paragraphs, not the quote whole): linear in
/// the page, whatever its nesting, which may not pass `MAX_DEPTH`.
pub fn article_text(page: &str) -> Result<(Option<String>, String), NotAnArticle> {
    // The parser itself costs its depth for every tag it opens: a page
    // nested far too deep is refused before it is parsed.
    if raw_depth(page) > MAX_DEPTH {
        return Err(too_deep());
    }
    let doc = Html::parse_document(page);
    // Depth and which quotes hold paragraphs, from the leaves up, once.
    let mut holds_p = std::collections::HashSet::new();
    let mut stack = vec![(doc.tree.root(), 0usize)];
    let mut order = Vec::new();
    while let Some((node, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Err(too_deep());
        }
        order.push(node);
        stack.extend(node.children().map(|c| (c, depth + 1)));
    }
    for node in order.iter().rev() {
        let here = node.value().as_element().is_some_and(|e| e.name() == "p");
        if here || node.children().any(|c| holds_p.contains(&c.id())) {
            holds_p.insert(node.id());
        }
    }
    let root = ["article", "main", "body"]
        .iter()
        .filter_map(|css| selector(css))
        .find_map(|s| doc.select(&s).next());
    let Some(root) = root else {
        return Ok((None, String::new()));
    };
    let title = selector("h1")
        .and_then(|s| root.select(&s).next().or_else(|| doc.select(&s).next()))
        .map(text_of)
        .or_else(|| {
            selector("title")
                .and_then(|s| doc.select(&s).next())
                .map(text_of)
        })
        .filter(|t| !t.is_empty());
    // The root is never inside boilerplate (it is the article, main or body).
    let mut paragraphs = Vec::new();
    let mut walk = vec![*root];
    while let Some(node) = walk.pop() {
        let Some(e) = ElementRef::wrap(node) else {
            continue;
        };
        let name = e.value().name();
        if node.id() != root.id() && BOILERPLATE.contains(&name) {
            continue;
        }
        let quote_of_paragraphs = name == "blockquote" && holds_p.contains(&node.id());
        if is_paragraph(name) && !quote_of_paragraphs {
            let t = text_of(e);
            if !t.is_empty() {
                paragraphs.push(t);
            }
            continue;
        }
        // Children in document order: pushed last first.
        let children: Vec<_> = node.children().collect();
        walk.extend(children.into_iter().rev());
    }
    Ok((title, paragraphs.join("\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_story_comes_out_and_the_site_stays_behind() {
        let page = r#"<!doctype html><html><head><title>24.ae | Albania</title>
            <script>var p = "<p>not text</p>";</script></head><body>
            <header><p>Sign in</p></header>
            <nav><p>Home · World · Sport</p></nav>
            <article>
              <h1>بعد هجوم إلكتروني ثان</h1>
              <figure><p>Photo caption</p></figure>
              <p>قالت وزارة الداخلية الألبانية   إن أحد <b>أنظمتها</b> تعرض لهجوم.</p>
              <h2>بيان الناتو</h2>
              <blockquote><p>"سنواصل تعزيز استعدادنا"</p></blockquote>
              <aside><p>Read also: something else</p></aside>
              <p>ويقول محللون إن الهجمات كانت تهدف إلى معاقبة ألبانيا.</p>
            </article>
            <footer><p>© 24.ae</p></footer></body></html>"#;
        let (title, text) = article_text(page).expect("an article");
        assert_eq!(title.as_deref(), Some("بعد هجوم إلكتروني ثان"));
        assert_eq!(
            text.lines().collect::<Vec<_>>(),
            [
                "قالت وزارة الداخلية الألبانية إن أحد أنظمتها تعرض لهجوم.",
                "بيان الناتو",
                "\"سنواصل تعزيز استعدادنا\"",
                "ويقول محللون إن الهجمات كانت تهدف إلى معاقبة ألبانيا.",
            ]
        );
        // No article element: the page's paragraphs, the title from <title>.
        let (title, text) =
            article_text("<title>T</title><p>One.</p><nav><p>x</p></nav><p>Two.</p>")
                .expect("an article");
        assert_eq!(title.as_deref(), Some("T"));
        assert_eq!(text, "One.\nTwo.");
        assert_eq!(article_text(""), Ok((None, String::new())));
    }

    #[test]
    fn nesting_costs_its_size_and_has_a_bound() {
        // Quotes in quotes: each text gathered once (it was quadratic).
        let nested = format!(
            "<article>{}<p>deep</p>{}</article>",
            "<blockquote>q ".repeat(200),
            "</blockquote>".repeat(200)
        );
        let (_, text) = article_text(&nested).expect("within the bound");
        assert_eq!(text.lines().filter(|l| *l == "deep").count(), 1, "{text}");
        let too_deep = format!(
            "<body>{}x{}</body>",
            "<div>".repeat(2000),
            "</div>".repeat(2000)
        );
        let err = article_text(&too_deep).expect_err("past the bound");
        assert!(err.0.contains("512"), "{}", err.0);
        // Paragraphs left open, void elements and scripts do not count.
        let flat = format!(
            "<body><script>if (a<b) {{}}</script>{}</body>",
            "<p>one<br><img src=x>".repeat(5000)
        );
        assert!(raw_depth(&flat) < 5, "{}", raw_depth(&flat));
        // Many scripts: each is skipped to its own end, in any case.
        let scripts = "<div><SCRIPT>x<y</Script>".repeat(3) + &"</div>".repeat(3);
        assert_eq!(raw_depth(&scripts), 3);
        assert!(article_text(&flat).is_ok());
    }
}
