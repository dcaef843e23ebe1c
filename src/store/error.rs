//! Why a change could not be saved.

use std::fmt;
use std::io;
use std::path::PathBuf;

use super::{Conflict, Problems};
use crate::model::ClaimId;

/// Why a change could not be saved. Nothing on disk was changed.
#[derive(Debug)]
pub enum StoreError {
    UnknownClaim {
        id: ClaimId,
        suggestion: Option<String>,
    },
    /// The claim was removed from its file by someone else since we loaded it.
    Vanished {
        id: ClaimId,
        path: PathBuf,
    },
    Io {
        path: PathBuf,
        action: &'static str,
        source: io::Error,
    },
    Invalid(Problems),
    /// Someone changed the claim since the reviewer saw it; the desk's copy
    /// of its file is now the one on disk.
    Conflict(Box<Conflict>),
    /// The change itself cannot be made (why, and what to do instead).
    Refused(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::UnknownClaim { id, suggestion } => {
                write!(f, "no claim with id `{id}`")?;
                if let Some(s) = suggestion {
                    write!(f, " (did you mean `{s}`?)")?;
                }
                Ok(())
            }
            StoreError::Vanished { id, path } => write!(
                f,
                "claim `{id}` is no longer in {} (someone removed it); nothing was changed",
                path.display()
            ),
            // Says what holds it, and where: all the reviewer needs to know.
            StoreError::Io { source, .. } if source.kind() == io::ErrorKind::TimedOut => {
                write!(f, "{source}")
            }
            StoreError::Io {
                path,
                action,
                source,
            } => write!(f, "could not {action} {}: {source}", path.display()),
            StoreError::Invalid(p) => write!(
                f,
                "the file on disk is not valid, so nothing was changed; fix it first:\n{p}"
            ),
            StoreError::Conflict(c) => write!(f, "{c}"),
            StoreError::Refused(why) => write!(f, "{why}; nothing was changed"),
        }
    }
}

impl std::error::Error for StoreError {}
