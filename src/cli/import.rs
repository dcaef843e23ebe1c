//! `claimdesk import`: the command's edge (reading the text, the file it
//! writes, what it prints); the proposing is `crate::import`.

use super::Failure;
use crate::text;

/// `claimdesk import`: propose the claims of the article in `file`, write
/// them as `dir/ID.yaml` (never over a file unless `force`), check the
/// result loads, and say what it holds.
pub(super) fn run(
    dir: &std::path::Path,
    file: &std::path::Path,
    opts: &crate::import::Options,
    force: bool,
    html: bool,
) -> Result<String, Failure> {
    let id = &opts.id;
    if id.is_empty()
        || id.len() > 64
        || id.starts_with('.')
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(Failure::usage(format!(
            "--id {id:?}: use letters, digits, `-`, `_` or `.` (it names the file), e.g. --id 001_albania"
        )));
    }
    // `claimdesk.yaml` holds the desk's settings: an article never replaces it.
    if id.eq_ignore_ascii_case("claimdesk") {
        return Err(Failure::usage(format!(
            "--id {id:?} is reserved: claimdesk.yaml holds the desk's settings; choose another id"
        )));
    }
    // An article is kilobytes; a claims file may not pass 16 MiB.
    let limit = crate::store::MAX_FILE_BYTES / 4;
    let mut bytes = Vec::new();
    let read = if file.as_os_str() == "-" {
        std::io::Read::read_to_end(
            &mut std::io::Read::take(std::io::stdin(), limit + 1),
            &mut bytes,
        )
    } else {
        std::fs::File::open(file).and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, limit + 1), &mut bytes)
        })
    };
    read.map_err(|e| Failure::data(format!("cannot read {}: {e}", file.display())))?;
    if bytes.len() as u64 > limit {
        return Err(Failure::data(format!(
            "{}: over {limit} bytes is not one article; split it",
            file.display()
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        Failure::data(format!(
            "{}: not UTF-8 (byte {}); convert it first, e.g. iconv -f WINDOWS-1256 -t UTF-8",
            file.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    let mut opts = opts.clone();
    let text = if html {
        let (title, body) = crate::import::article_text(&text)
            .map_err(|e| Failure::data(format!("{}: {}", file.display(), e.0)))?;
        if opts.title.is_none() {
            opts.title = title;
        }
        body
    } else {
        text
    };
    if crate::import::paragraphs(&text).len() < usize::from(opts.title.is_none()) + 1 {
        return Err(Failure::data(format!(
            "{}: no paragraphs to import (one paragraph per line)",
            file.display()
        )));
    }
    if opts.language.is_none() {
        opts.language = Some(if text::is_rtl(&text) { "ar" } else { "en" }.into());
    }
    let path = dir.join(format!("{id}.yaml"));
    if path.exists() && !force {
        return Err(Failure::usage(format!(
            "{} exists; choose another --id, or --force to replace it",
            path.display()
        )));
    }
    // The desk as it is: its sources and claims to match against, and its
    // settings. A desk that does not load matches nothing; import does not
    // depend on it.
    let desk = crate::store::Desk::load_cached(dir).ok();
    let tree = desk
        .as_ref()
        .map(crate::query::SourceTree::of)
        .unwrap_or_default();
    let registry = crate::query::Registry::of(&tree);
    // Short claim ids, unique on the desk: the prefixes its ids use now.
    let used: std::collections::HashSet<String> =
        desk.as_ref().map_or_else(Default::default, |d| {
            d.heads()
                .filter_map(|(_, h)| h.id.0.rsplit_once('-').map(|(p, _)| p.to_string()))
                .collect()
        });
    opts.prefix = Some(crate::import::short_prefix(id, |p| used.contains(p)));
    let mut doc = crate::import::propose_with(&text, &opts, &registry);
    let seen = desk
        .as_ref()
        .map_or(0, |d| crate::import::mark_seen_before(d, &tree, &mut doc));
    let yaml = crate::store::render(&doc).map_err(Failure::data)?;
    let scale = match &desk {
        Some(d) => d.settings.rating_scale.clone(),
        None => crate::store::load_settings(dir)
            .map(|s| s.rating_scale)
            .map_err(|p| Failure::data(p.to_string()))?,
    };
    crate::store::parse_document(&path, &yaml, Some(&scale))
        .map_err(|p| Failure::data(format!("the proposed file does not validate: {p}")))?;
    crate::store::write_file(&path, yaml.as_bytes())
        .map_err(|e| Failure::data(format!("cannot write {}: {e}", path.display())))?;
    let mut out = format!(
        "wrote {}: {} paragraphs, {} candidate claims, {} sources\n",
        path.display(),
        doc.article.paragraphs.len(),
        doc.claims.len(),
        doc.sources.len()
    );
    for s in &doc.sources {
        let n = doc.claims.iter().filter(|c| c.source == s.id).count();
        out.push_str(&format!("  {:>3}  {}\n", n, text::sanitize(&s.name)));
    }
    if seen > 0 {
        out.push_str(&format!(
            "{seen} candidates say what claims on the desk already say (`seen_before`)\n"
        ));
    }
    out.push_str("Review them in the desk: the candidates are marked `candidate: true`.\n");
    Ok(out)
}
