//! Opening a large desk progressively: the first files are parsed before
//! the first frame, the rest on background threads, and they arrive in
//! batches the desk takes in between the reviewer's keys.
//!
//! Files keep desk order (batches come in path order and are appended), so
//! a claim's place (`ClaimRef`) never moves while the rest arrive, and the
//! store stays per file: a claim that is shown can be marked at once.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex};

use super::{
    ClaimsFile, Desk, Problem, Problems, cache, cache::ToCache, claims_files_of, load_one,
};
use crate::model::Scale;

/// YAML parsed before the first frame: about 25 ms of parsing, several
/// screens of claims. A desk this small or smaller loads whole, as before.
const FIRST_BYTES: u64 = 1024 * 1024;

/// Files parsed (on all cores) per batch sent to the desk.
const BATCH_FILES: usize = 32;

/// One file as the loader read it.
type Parsed = Result<ClaimsFile, Problems>;

/// A batch of files, numbered in desk order.
type Batch = (usize, Vec<Parsed>);

/// The files still to arrive.
#[derive(Debug, Clone)]
pub(super) struct Loading {
    /// Batches as the parsers finish them, numbered. Shared so `Desk` stays
    /// `Clone`; a desk is cloned once loaded (a server's shared copy),
    /// never while its files arrive.
    batches: Arc<Mutex<Receiver<Batch>>>,
    /// Batches that came before one that is due: files keep desk order.
    waiting: BTreeMap<usize, Vec<Parsed>>,
    /// The number of the batch due next.
    next: usize,
    total: usize,
}

/// What one `absorb` took in.
#[derive(Debug, Default)]
pub struct Arrival {
    /// The files added (indices into `Desk::files`).
    pub files: Range<usize>,
    /// Files that did not load (they are left out; the rest is usable), and
    /// claim ids already used by a file that came before.
    pub problems: Vec<Problem>,
}

impl Desk {
    /// Open `dir` for the desk: its first files now, the rest in the
    /// background (`absorb` takes them in). A problem in the first files
    /// fails the open as `load` does; a problem in a later one arrives with
    /// its batch. A desk of a megabyte or less is loaded whole.
    pub fn open(dir: &Path) -> Result<Desk, Problems> {
        Desk::open_from(dir, None)
    }

    /// Like `open`, through the user's parse cache (see `load_cached`).
    pub fn open_cached(dir: &Path) -> Result<Desk, Problems> {
        Desk::open_from(dir, cache::dir_for(dir).as_deref())
    }

    fn open_from(dir: &Path, cache: Option<&Path>) -> Result<Desk, Problems> {
        let paths = claims_files_of(dir)?;
        let mut bytes = 0;
        let first = paths
            .iter()
            .position(|p| {
                bytes += std::fs::metadata(p).map_or(0, |m| m.len());
                bytes >= FIRST_BYTES
            })
            .map_or(paths.len(), |i| i + 1);
        if first == paths.len() {
            return Desk::load_paths(dir, cache, &paths, true);
        }
        let mut desk = Desk::load_paths(dir, cache, &paths[..first], false)?;
        let rest = paths[first..].to_vec();
        let scale = desk.settings.rating_scale.clone();
        let (tx, rx) = channel();
        let cache = cache.map(Path::to_path_buf);
        let claims_dir = dir.to_path_buf();
        let spawned = std::thread::Builder::new()
            .name("desk-loader".into())
            .spawn(move || {
                let to_cache = parse_all(cache.as_deref(), &scale, &rest, tx);
                if let Some(c) = cache {
                    cache::fill(&c, &claims_dir, to_cache);
                }
            });
        if let Err(e) = spawned {
            return Err(Problems::one(Problem::file(
                dir,
                format!("cannot start loading the claims files: {e}"),
            )));
        }
        desk.loading = Some(Loading {
            batches: Arc::new(Mutex::new(rx)),
            waiting: BTreeMap::new(),
            next: 0,
            total: paths.len(),
        });
        Ok(desk)
    }

    /// While files are still arriving: how many have, and how many in all.
    pub fn loading(&self) -> Option<(usize, usize)> {
        let l = self.loading.as_ref()?;
        Some((self.files.len(), l.total))
    }

    /// Take in the files that arrived since the last call; `None` when none
    /// did. The last batch ends the loading.
    pub fn absorb(&mut self) -> Option<Arrival> {
        self.take_batches(false)
    }

    /// Wait for every file still to arrive and take them in.
    pub fn wait_loaded(&mut self) -> Arrival {
        self.take_batches(true).unwrap_or_default()
    }

    fn take_batches(&mut self, wait: bool) -> Option<Arrival> {
        let mut loading = self.loading.take()?;
        let from = self.files.len();
        let mut arrival = Arrival::default();
        let mut done = false;
        {
            let rx = loading.batches.lock().unwrap_or_else(|p| p.into_inner());
            loop {
                let next = if wait {
                    rx.recv().map_err(|_| TryRecvError::Disconnected)
                } else {
                    rx.try_recv()
                };
                match next {
                    Ok((n, batch)) => {
                        loading.waiting.insert(n, batch);
                    }
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        done = true;
                        break;
                    }
                }
            }
        }
        while let Some(batch) = loading.waiting.remove(&loading.next) {
            loading.next += 1;
            self.take(batch, &mut arrival.problems);
        }
        if done && !loading.waiting.is_empty() {
            // A parser stopped short (a bug): say so, and keep what came.
            arrival.problems.push(Problem::file(
                &self.dir,
                "internal error: some claims files were not loaded; restart the desk, and \
                 please report it",
            ));
            for batch in std::mem::take(&mut loading.waiting).into_values() {
                self.take(batch, &mut arrival.problems);
            }
        }
        if !done {
            self.loading = Some(loading);
        }
        if self.files.len() == from && arrival.problems.is_empty() && !done {
            return None;
        }
        arrival.problems.extend(self.index_from(from));
        arrival.files = from..self.files.len();
        Some(arrival)
    }

    fn take(&mut self, batch: Vec<Parsed>, problems: &mut Vec<Problem>) {
        for parsed in batch {
            match parsed {
                Ok(file) => self.files.push(file),
                Err(p) => problems.extend(p.0),
            }
        }
    }
}

/// Parse `paths` in numbered batches on all cores, sending each when done
/// (each core takes the next batch as it finishes one: no core waits for
/// another). What came from YAML, not the cache, is returned for the cache.
fn parse_all(
    cache: Option<&Path>,
    scale: &Scale,
    paths: &[PathBuf],
    tx: Sender<Batch>,
) -> Vec<ToCache> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunks: Vec<&[PathBuf]> = paths.chunks(BATCH_FILES).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let tx = tx.clone();
                let (next, chunks) = (&next, &chunks);
                s.spawn(move || {
                    let mut to_cache = Vec::new();
                    loop {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        let Some(chunk) = chunks.get(n) else { break };
                        let batch = chunk
                            .iter()
                            .map(|path| {
                                load_one(cache, scale, path)
                                    .map(|loaded| loaded.into_file(path, &mut to_cache))
                            })
                            .collect();
                        if tx.send((n, batch)).is_err() {
                            break; // The desk is gone.
                        }
                    }
                    to_cache
                })
            })
            .collect();
        drop(tx);
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    })
}
