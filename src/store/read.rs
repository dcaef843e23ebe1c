//! Finding a desk's claims files and reading them, from the parse cache
//! where it holds their current version, else from YAML, on all cores.

use std::fs;
use std::path::{Path, PathBuf};

use super::{ClaimsFile, Problem, Problems, SETTINGS_FILE, Stamp, cache};
use crate::model::{Document, Scale};

/// The claims files of `dir`, by name: YAML files, not hidden, not the settings.
pub(super) fn claims_files(dir: &Path) -> Result<Vec<PathBuf>, Problem> {
    let entries = fs::read_dir(dir).map_err(|e| {
        Problem::file(
            dir,
            format!("cannot read the claims directory: {e}; pass -C DIR or set CLAIMDESK_DIR"),
        )
    })?;
    // Named and typed by the directory listing itself: at 10,000 files a
    // stat of each, and sorting whole paths component by component, were
    // most of the time before the first frame. A link is followed.
    let mut named: Vec<(std::ffi::OsString, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            (name.ends_with(".yaml") || name.ends_with(".yml"))
                && !name.starts_with('.')
                && name != SETTINGS_FILE
                && match e.file_type() {
                    Ok(t) if t.is_symlink() => e.path().is_file(),
                    Ok(t) => t.is_file(),
                    Err(_) => false,
                }
        })
        .map(|e| (e.file_name(), e.path()))
        .collect();
    // One directory: its paths order as their names do.
    named.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let paths = named.into_iter().map(|(_, p)| p).collect();
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
        let file = ClaimsFile::new(path.into(), self.doc, self.stamp);
        if let (Some(s), false, Some(doc)) = (self.stamp, self.cached, file.shared_doc()) {
            to_cache.push((path.to_path_buf(), s, doc));
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
    super::load_file_lean(p, Some(scale)).map(|doc| Loaded {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn claims_files_are_listed_in_name_order_through_links_not_dirs() {
        let dir = tempfile::tempdir().expect("temp dir");
        let elsewhere = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        for name in [
            "b.yaml",
            "a.yml",
            "B.yaml",
            ".hidden.yaml",
            SETTINGS_FILE,
            "notes.txt",
        ] {
            fs::write(d.join(name), "").expect("write");
        }
        fs::create_dir(d.join("folder.yaml")).expect("mkdir");
        let target = elsewhere.path().join("target.yaml");
        fs::write(&target, "").expect("write");
        symlink(&target, d.join("linked.yaml")).expect("link");
        symlink(elsewhere.path().join("gone.yaml"), d.join("dangling.yaml")).expect("link");
        symlink(elsewhere.path(), d.join("to-a-dir.yaml")).expect("link");
        let names: Vec<String> = claims_files(d)
            .expect("listed")
            .iter()
            .map(|p| {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(names, ["B.yaml", "a.yml", "b.yaml", "linked.yaml"]);
    }
}
