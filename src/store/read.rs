//! Finding a desk's claims files and reading them, from the parse cache
//! where it holds their current version, else from YAML, on all cores.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{ClaimsFile, Problem, Problems, SETTINGS_FILE, Stamp, cache, load_file};
use crate::model::{Document, Scale};

/// The claims files of `dir`, by name: YAML files, not hidden, not the settings.
pub(super) fn claims_files(dir: &Path) -> Result<Vec<PathBuf>, Problem> {
    let entries = fs::read_dir(dir).map_err(|e| {
        Problem::file(
            dir,
            format!("cannot read the claims directory: {e}; pass -C DIR or set CLAIMDESK_DIR"),
        )
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            (name.ends_with(".yaml") || name.ends_with(".yml"))
                && !name.starts_with('.')
                && name != SETTINGS_FILE
                && p.is_file()
        })
        .collect();
    paths.sort();
    Ok(paths)
}

/// The claims files of `dir`, in desk order; none at all is a problem.
pub(super) fn claims_files_of(dir: &Path) -> Result<Vec<PathBuf>, Problems> {
    let paths = claims_files(dir).map_err(Problems::one)?;
    if paths.is_empty() {
        return Err(Problems::one(Problem::file(
            dir,
            "no claims files (*.yaml) in this directory; pass -C DIR to point at one, \
             or add a claims file (see README)",
        )));
    }
    Ok(paths)
}

/// One file as loaded: its document, the version read, and whether it came from the cache.
pub(super) struct Loaded {
    pub(super) doc: Document,
    pub(super) stamp: Option<Stamp>,
    pub(super) cached: bool,
}

impl Loaded {
    /// The file as the desk keeps it; a parse of YAML (not the cache) is
    /// noted in `to_cache` for the cache writer, which shares it.
    pub(super) fn into_file(self, path: &Path, to_cache: &mut Vec<cache::ToCache>) -> ClaimsFile {
        let file = ClaimsFile::new(path.to_path_buf(), self.doc, self.stamp);
        if let (Some(s), false) = (self.stamp, self.cached) {
            to_cache.push((path.to_path_buf(), s, Arc::clone(&file.doc)));
        }
        file
    }
}

/// One file, from the cache if it holds this version, else from YAML.
pub(super) fn load_one(cache: Option<&Path>, scale: &Scale, p: &Path) -> Result<Loaded, Problems> {
    let stamp = Stamp::of(p);
    if let (Some(c), Some(s)) = (cache, stamp)
        && let Some(doc) = cache::get(c, p, s)
    {
        return Ok(Loaded {
            doc,
            stamp,
            cached: true,
        });
    }
    load_file(p, Some(scale)).map(|doc| Loaded {
        doc,
        stamp,
        cached: false,
    })
}

/// Parse many files on all cores: parsing dominates start-up at newsroom scale.
/// Files whose current version is in the user's cache are read from there.
pub(super) fn load_many(
    cache: Option<&Path>,
    scale: &Scale,
    paths: &[PathBuf],
) -> Vec<Result<Loaded, Problems>> {
    let load = |p: &PathBuf| load_one(cache, scale, p);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || paths.len() < 8 {
        return paths.iter().map(load).collect();
    }
    let chunk = paths.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = paths
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(load).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(results) => results,
                // A parser panic is a bug, but it must not take the desk down with it.
                Err(_) => vec![Err(Problems::one(Problem::file(
                    Path::new("?"),
                    "internal error while parsing; please report it",
                )))],
            })
            .collect()
    })
}
