//! Saving one change to one claims file: under the file's lock, read it as
//! it is on disk at that moment, check the change against what the
//! reviewer saw, apply it, write the file atomically. Whoever keeps a copy
//! of the file (the desk of this process) takes the new version before the
//! lock is let go, so copies see versions in the order they were written.

use std::io;
use std::path::Path;

use super::{Change, atomic, change, read_text, render, triage, validate};
use super::{ClaimsFile, Edit, MAX_FILE_BYTES, Problems, Stamp, StoreError, Triage};
use crate::model::Scale;

/// What a save did to its claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// The claim is in the file as changed, at this place.
    At(usize),
    /// The change took the claim out of its file (a rejected candidate).
    Removed,
}

/// Apply `change` to the claims file at `path` (whose statuses are those
/// of `scale`). `take` gets the file as it is on disk once the change is
/// written, or once it is refused because someone changed the claim since
/// (then the desk shows what they did), while the file is still locked.
pub fn save(
    path: &Path,
    scale: &Scale,
    change: &Change,
    take: &mut dyn FnMut(ClaimsFile),
) -> Result<Saved, StoreError> {
    if let Some(why) = change::refused(&change.edit) {
        return Err(StoreError::Refused(why));
    }
    let io_err = |action, source| StoreError::Io {
        path: path.to_path_buf(),
        action,
        source,
    };
    let _lock = atomic::lock_exclusive(path).map_err(|e| io_err("lock", e))?;
    atomic::remove_stale_temps(path.parent().unwrap_or(Path::new(".")));
    let text = read_text(path).map_err(|p| StoreError::Invalid(Problems::one(p)))?;
    let mut doc =
        validate::parse_document(path, &text, Some(scale)).map_err(StoreError::Invalid)?;
    if let Edit::Reinstate { claim, index, .. } = &change.edit {
        return reinstate(path, doc, claim, *index, change, take);
    }
    let Some(at) = doc.claims.iter().position(|c| c.id == change.claim) else {
        return Err(StoreError::Vanished {
            id: change.claim.clone(),
            path: path.to_path_buf(),
        });
    };
    if let Err(conflict) = change::check(&doc.claims[at], change) {
        take(ClaimsFile::new(path.into(), doc, Stamp::of(path)));
        return Err(StoreError::Conflict(conflict));
    }
    if let Edit::Triage(t) = &change.edit {
        triage::prepare(&mut doc, at, t, change).map_err(StoreError::Refused)?;
    }
    change::apply(&mut doc.claims[at], change);
    let removed = matches!(change.edit, Edit::Triage(Triage::Reject));
    if removed {
        let gone = doc.claims.remove(at);
        triage::log_rejection(&mut doc, &gone, change);
    }
    write(path, &doc)?;
    take(ClaimsFile::new(path.into(), doc, Stamp::of(path)));
    Ok(if removed {
        Saved::Removed
    } else {
        Saved::At(at)
    })
}

/// Put rejected candidate `claim` back in `doc` at `index` (the undo of a
/// reject), with a history entry, and take it out of the file's
/// `rejected:` log. Refused when a claim with its id is in the file.
fn reinstate(
    path: &Path,
    mut doc: crate::model::Document,
    claim: &crate::model::Claim,
    index: usize,
    change: &Change,
    take: &mut dyn FnMut(ClaimsFile),
) -> Result<Saved, StoreError> {
    if doc.claims.iter().any(|c| c.id == claim.id) {
        return Err(StoreError::Refused(format!(
            "{} is in {} again already; nothing was changed",
            claim.id,
            path.display()
        )));
    }
    let mut back = claim.clone();
    change::apply(&mut back, change);
    let at = index.min(doc.claims.len());
    doc.claims.insert(at, back);
    triage::unlog_rejection(&mut doc, &claim.id);
    write(path, &doc)?;
    take(ClaimsFile::new(path.into(), doc, Stamp::of(path)));
    Ok(Saved::At(at))
}

/// Write `doc` over `path`, atomically, unless it grew past what the desk reads.
fn write(path: &Path, doc: &crate::model::Document) -> Result<(), StoreError> {
    let io_err = |action, source| StoreError::Io {
        path: path.to_path_buf(),
        action,
        source,
    };
    let out = render(doc).map_err(|e| io_err("serialise", io::Error::other(e)))?;
    // Never write what we would refuse to read back.
    if out.len() as u64 > MAX_FILE_BYTES {
        return Err(StoreError::Refused(format!(
            "{} would grow to {} bytes, over the {MAX_FILE_BYTES}-byte limit for one \
             claims file; split the article's claims over several files",
            path.display(),
            out.len()
        )));
    }
    atomic::replace_file(path, out.as_bytes()).map_err(|e| io_err("write", e))
}
