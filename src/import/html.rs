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

/// Whether `e` sits inside something that is not the story.
fn in_boilerplate(e: ElementRef) -> bool {
    e.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| BOILERPLATE.contains(&a.value().name()))
}

/// The headline (the story's `h1`, else the page's `title`) and the
/// paragraphs: the `p` elements of the `article` (else `main`, else the
/// page), boilerplate dropped, as one paragraph per line.
pub fn article_text(page: &str) -> (Option<String>, String) {
    let doc = Html::parse_document(page);
    let root = ["article", "main", "body"]
        .iter()
        .filter_map(|css| selector(css))
        .find_map(|s| doc.select(&s).next());
    let Some(root) = root else {
        return (None, String::new());
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
    let mut paragraphs = Vec::new();
    if let Some(p) = selector("p, h2, h3, blockquote") {
        for e in root.select(&p) {
            // A blockquote's own paragraphs are taken once, as paragraphs.
            if in_boilerplate(e)
                || (e.value().name() == "blockquote"
                    && selector("p").is_some_and(|s| e.select(&s).next().is_some()))
            {
                continue;
            }
            let t = text_of(e);
            if !t.is_empty() {
                paragraphs.push(t);
            }
        }
    }
    (title, paragraphs.join("\n"))
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
        let (title, text) = article_text(page);
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
            article_text("<title>T</title><p>One.</p><nav><p>x</p></nav><p>Two.</p>");
        assert_eq!(title.as_deref(), Some("T"));
        assert_eq!(text, "One.\nTwo.");
        assert_eq!(article_text(""), (None, String::new()));
    }
}
