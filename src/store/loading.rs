//! Opening a large desk progressively: the first files are parsed before
//! the first frame, the rest on background threads, and they arrive in
//! batches the desk takes in between the reviewer's keys.
//!
//! Files keep desk order (batches come in path order and are appended), so
//! a claim's place (`ClaimRef`) never moves while the rest arrive, and the
//! store stays per file: a claim that is shown can be marked at once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError, channel};
use std::time::{Duration, Instant};

use super::{
    ClaimsFile, Derived, Desk, Problem, Problems, Reading, cache, claims_files_of, load_one,
};
use std::sync::Arc;

/// YAML parsed before the first frame: about 25 ms of parsing, several
/// screens of claims. A desk this small or smaller loads whole, as before.
const FIRST_BYTES: u64 = 1024 * 1024;

/// Files parsed (on all cores) per batch sent to the desk.
const BATCH_FILES: usize = 32;

/// What a loader thread does with each file it reads, beside reading it
/// (the search index folds it there, on the loader's cores): given the
/// file and where what derives from it may be kept.
pub type Prepare<T> = Arc<dyn Fn(&ClaimsFile, Option<Derived>) -> T + Send + Sync>;

/// One file as the loader read it, and what was prepared of it.
type Parsed<T> = Result<(ClaimsFile, T), Problems>;

/// A batch of files, numbered in desk order.
type Batch<T> = (usize, Vec<Parsed<T>>);

/// The files still to arrive, in desk order, as the loader parses them.
#[derive(Debug)]
pub struct Arrivals<T> {
    /// Batches as the parsers finish them, numbered.
    batches: Receiver<Batch<T>>,
    /// Batches that came before one that is due: files keep desk order.
    waiting: BTreeMap<usize, Vec<Parsed<T>>>,
    /// The number of the batch due next.
    next: usize,
    /// Files in all, and files handed on so far.
    total: usize,
    given: usize,
    dir: PathBuf,
}

/// What one `Arrivals::take` brought.
#[derive(Debug)]
pub struct Arrival<T> {
    /// The files, in desk order, after those already taken, with what
    /// was prepared of each.
    pub files: Vec<(ClaimsFile, T)>,
    /// Files that did not load (they are left out; the rest is usable).
    pub problems: Vec<Problem>,
    /// Every file has arrived.
    pub done: bool,
}

impl<T> Default for Arrival<T> {
    fn default() -> Self {
        Arrival {
            files: Vec::new(),
            problems: Vec::new(),
            done: false,
        }
    }
}

impl Desk {
    /// Open `dir` for the desk: its first files now, the rest in the
    /// background, to be taken in as they arrive. A problem in the first
    /// files fails the open as `load` does; a problem in a later one
    /// arrives with its batch. A desk of a megabyte or less is loaded whole
    /// (no arrivals). With `cached`, through the user's parse cache.
    pub fn start<T: Send + 'static>(
        dir: &Path,
        cached: bool,
        prepare: Prepare<T>,
    ) -> Result<(Desk, Option<Arrivals<T>>), Problems> {
        let cache = if cached { cache::dir_for(dir) } else { None };
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
            return Ok((Desk::load_paths(dir, cache.as_deref(), &paths, true)?, None));
        }
        let desk = Desk::load_paths(dir, cache.as_deref(), &paths[..first], false)?;
        let rest = paths[first..].to_vec();
        let reading = desk.reading();
        let (tx, rx) = channel();
        let claims_dir = dir.to_path_buf();
        let spawned = std::thread::Builder::new()
            .name("desk-loader".into())
            .spawn(move || {
                parse_all(&reading, &rest, tx, &prepare);
                if let Some(c) = &reading.cache {
                    cache::fill(c, &claims_dir, Vec::new());
                }
            });
        if let Err(e) = spawned {
            return Err(Problems::one(Problem::file(
                dir,
                format!("cannot start loading the claims files: {e}"),
            )));
        }
        let arrivals = Arrivals {
            batches: rx,
            waiting: BTreeMap::new(),
            next: 0,
            total: paths.len(),
            given: first,
            dir: dir.to_path_buf(),
        };
        Ok((desk, Some(arrivals)))
    }
}

impl<T> Arrivals<T> {
    /// Files handed on so far (the first ones with the desk), and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.given, self.total)
    }

    /// The files that arrived, waiting up to `wait` for the first of them.
    pub fn take(&mut self, wait: Duration) -> Arrival<T> {
        let mut arrival = Arrival::default();
        let mut gone = false;
        let deadline = Instant::now() + wait;
        loop {
            let next = match deadline.checked_duration_since(Instant::now()) {
                Some(left) if self.waiting.is_empty() => self.batches.recv_timeout(left),
                _ => self.batches.try_recv().map_err(|e| match e {
                    TryRecvError::Empty => RecvTimeoutError::Timeout,
                    TryRecvError::Disconnected => RecvTimeoutError::Disconnected,
                }),
            };
            match next {
                Ok((n, batch)) => {
                    self.waiting.insert(n, batch);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    gone = true;
                    break;
                }
            }
            if self.waiting.contains_key(&self.next) && Instant::now() >= deadline {
                break;
            }
            if self.waiting.contains_key(&self.next) {
                // Something due arrived: take what else is there, no more waiting.
                while let Ok((n, batch)) = self.batches.try_recv() {
                    self.waiting.insert(n, batch);
                }
                break;
            }
        }
        while let Some(batch) = self.waiting.remove(&self.next) {
            self.next += 1;
            self.hand_on(batch, &mut arrival);
        }
        if gone && !self.waiting.is_empty() {
            // A parser stopped short (a bug): say so, and keep what came.
            arrival.problems.push(Problem::file(
                &self.dir,
                "internal error: some claims files were not loaded; restart the desk, and \
                 please report it",
            ));
            for batch in std::mem::take(&mut self.waiting).into_values() {
                self.hand_on(batch, &mut arrival);
            }
        }
        arrival.done = (gone && self.waiting.is_empty()) || self.given >= self.total;
        arrival
    }

    fn hand_on(&mut self, batch: Vec<Parsed<T>>, arrival: &mut Arrival<T>) {
        for parsed in batch {
            self.given += 1;
            match parsed {
                Ok(file) => arrival.files.push(file),
                Err(p) => arrival.problems.extend(p.0),
            }
        }
    }
}

/// Let the reviewer's keys go first: a loader thread takes every core it
/// can, and the desk's own thread must still answer a key within a frame.
/// (On Linux a thread's nice value is its own.)
fn yield_to_keys() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid has no arguments and cannot fail; setpriority on this
    // thread only lowers its priority, which any thread may do.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid);
        let _ = libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
    }
}

/// Parse `paths` in numbered batches on all cores, sending each when done
/// (each core takes the next batch as it finishes one: no core waits for
/// another). Each file is prepared, its parse written to the cache if it
/// came from YAML, and sent cold: a desk of a million claims holds their
/// heads, not every claim whole.
fn parse_all<T: Send>(
    reading: &Arc<Reading>,
    paths: &[PathBuf],
    tx: Sender<Batch<T>>,
    prepare: &Prepare<T>,
) {
    let (cache, scale) = (reading.cache.as_deref(), &reading.scale);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunks: Vec<&[PathBuf]> = paths.chunks(BATCH_FILES).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let tx = tx.clone();
                let (next, chunks) = (&next, &chunks);
                s.spawn(move || {
                    yield_to_keys();
                    loop {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        let Some(chunk) = chunks.get(n) else { break };
                        let batch = chunk
                            .iter()
                            .map(|path| {
                                let mut parsed = Vec::new();
                                let file = load_one(cache, scale, path)
                                    .map(|loaded| loaded.into_file(path, &mut parsed))?;
                                let derived = cache.and_then(|c| Derived::of(c, &file));
                                let prepared = prepare(&file, derived);
                                if let Some(c) = cache {
                                    for (path, stamp, doc) in parsed {
                                        cache::put(c, &path, stamp, &doc);
                                    }
                                }
                                Ok((file.cooled(reading), prepared))
                            })
                            .collect();
                        if tx.send((n, batch)).is_err() {
                            break; // The desk is gone.
                        }
                    }
                })
            })
            .collect();
        drop(tx);
        for w in workers {
            let _ = w.join();
        }
    });
}
