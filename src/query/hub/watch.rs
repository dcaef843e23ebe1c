//! The hub's thread: it takes in the files of a large desk as they arrive,
//! then watches the claims directory (inotify through `notify`; where that
//! cannot be had, a look every second) and takes in every change on disk.
//! It is the only watcher of the process: a server's sessions poll nothing.

use std::path::{Path, PathBuf};
use std::sync::Weak;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use super::{Delta, Inner};
use crate::query::Prefolded;
use crate::store::{Arrival, Arrivals, SETTINGS_FILE};

/// The files of a loading desk arrive folded for search (the loader's
/// threads fold each as they read it).
pub(super) type Arriving = Arrivals<Prefolded>;

/// While a desk loads, the least time between two intakes of its arriving
/// files: often enough to look live, seldom enough that sessions are not
/// kept busy taking in views.
const ARRIVALS: Duration = Duration::from_millis(50);
/// Events that come this close together are taken in together (a save is
/// a temp file, a rename and a directory change).
const SETTLE: Duration = Duration::from_millis(15);
/// How often the directory is looked at when it cannot be watched; every
/// tenth look stats every file too (an editor writing in place).
const POLL: Duration = Duration::from_secs(1);
/// How often a watching thread checks that its hub is still wanted.
const ALIVE: Duration = Duration::from_secs(1);

pub(super) fn start(hub: Weak<Inner>, arrivals: Option<Arriving>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("desk-hub".into())
        .spawn(move || run(hub, arrivals))
        .map(drop)
}

fn run(hub: Weak<Inner>, arrivals: Option<Arriving>) {
    let Some(dir) = hub.upgrade().map(|h| h.dir.clone()) else {
        return;
    };
    // Watching starts first, so nothing that changes while the rest loads is missed.
    let (tx, events) = channel();
    let watcher = notify::recommended_watcher(move |e| {
        let _ = tx.send(e);
    })
    .and_then(|mut w| w.watch(&dir, RecursiveMode::NonRecursive).map(|()| w));
    if let Some(arrivals) = arrivals
        && !take_arrivals(&hub, arrivals, &events)
    {
        return;
    }
    match watcher {
        Ok(_watching) => watch(&hub, &events, &dir),
        Err(_) => poll(&hub, &dir),
    }
}

/// Take in the arriving files until all are in, with the changes on disk
/// to files already in. Files are folded for search as they come (on all
/// cores, beside the parsers); views of them are made at a pace, as a view
/// costs a copy of some of what the desk holds (its facets, its index of
/// ids). False when the hub is gone.
fn take_arrivals(
    hub: &Weak<Inner>,
    mut arrivals: Arriving,
    events: &Receiver<notify::Result<notify::Event>>,
) -> bool {
    let began = Instant::now();
    let mut next = began + ARRIVALS;
    let mut waiting = Arrival::default();
    loop {
        let arrival = arrivals.take(next.saturating_duration_since(Instant::now()));
        waiting.files.extend(arrival.files);
        waiting.problems.extend(arrival.problems);
        waiting.done = arrival.done;
        if Instant::now() < next && !waiting.done {
            continue;
        }
        let Some(inner) = hub.upgrade() else {
            return false;
        };
        let done = waiting.done;
        let started = Instant::now();
        inner.take_arrival(std::mem::take(&mut waiting), arrivals.progress());
        // A period from the start of each, and never less than half one
        // after it ends: the desk's other work (and the sessions taking
        // the view in) gets its turn. A view copies some of what the desk
        // holds (its facets, its index of ids): the longer a load goes on,
        // the larger the desk and the further apart its views (an eighth
        // of the time loaded so far: the first second at 20 a second, the
        // fifth at 2 or 3), so that copying stays a small part of the work.
        let period = ARRIVALS.max(started.duration_since(began) / 8);
        next = (started + period).max(Instant::now() + ARRIVALS / 2);
        let loaded = inner.files_held();
        let paths = drain(events, Duration::ZERO);
        for path in paths.iter().filter(|p| is_claims_file(p)) {
            if inner.position_of(path).is_some_and(|i| i < loaded) {
                inner.look_at(path);
            }
        }
        if done {
            // Anything that changed while it loaded, files new since included.
            inner.check_disk();
            return true;
        }
    }
}

/// Take changes in as the watcher reports them.
fn watch(hub: &Weak<Inner>, events: &Receiver<notify::Result<notify::Event>>, dir: &Path) {
    loop {
        let first = match events.recv_timeout(ALIVE) {
            Ok(e) => Some(e),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => return poll(hub, dir),
        };
        let Some(inner) = hub.upgrade() else {
            return;
        };
        inner.cool_down(super::HOT);
        let Some(first) = first else {
            continue;
        };
        let Ok(first) = first else {
            // The watcher lost events (its queue overflowed): look at everything.
            inner.check_disk();
            continue;
        };
        let mut paths = first.paths;
        paths.extend(drain(events, SETTLE));
        paths.sort();
        paths.dedup();
        for path in &paths {
            if path.file_name().is_some_and(|n| n == SETTINGS_FILE) {
                inner.settings_changed();
            } else if is_claims_file(path) {
                inner.look_at(path);
            }
        }
    }
}

/// The paths of the events that come within `settle` of each other.
fn drain(events: &Receiver<notify::Result<notify::Event>>, settle: Duration) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    let mut overflowed = false;
    loop {
        let next = if settle.is_zero() {
            events.try_recv().ok()
        } else {
            events.recv_timeout(settle).ok()
        };
        match next {
            Some(Ok(e)) => paths.extend(e.paths),
            Some(Err(_)) => overflowed = true,
            None => break,
        }
    }
    if overflowed {
        paths.push(PathBuf::from(SETTINGS_FILE));
    }
    paths
}

/// Where the directory cannot be watched: a look at its stamp every
/// second (saves by rename change it), and at every file every tenth.
fn poll(hub: &Weak<Inner>, dir: &Path) {
    let mut stamp = crate::store::Stamp::of(dir);
    let mut looks = 0u32;
    loop {
        std::thread::sleep(POLL);
        let Some(inner) = hub.upgrade() else {
            return;
        };
        inner.cool_down(super::HOT);
        looks = looks.wrapping_add(1);
        let now = crate::store::Stamp::of(dir);
        if now != stamp || looks.is_multiple_of(10) {
            stamp = now;
            inner.check_disk();
        }
    }
}

/// A claims file by its name: YAML, not hidden (temp files and lock
/// sidecars are), not the settings.
fn is_claims_file(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    (name.ends_with(".yaml") || name.ends_with(".yml"))
        && !name.starts_with('.')
        && name != SETTINGS_FILE
}

impl Inner {
    /// Files arrived while the desk loads, folded: they go at its end.
    fn take_arrival(&self, arrival: Arrival<Prefolded>, progress: (usize, usize)) {
        let Arrival {
            files,
            problems,
            done,
        } = arrival;
        let mut ahead = Prefolded::default();
        let files: Vec<_> = (files.into_iter())
            .map(|(file, folded)| {
                ahead.extend(folded);
                file
            })
            .collect();
        if files.is_empty() && problems.is_empty() && !done {
            return;
        }
        self.publish(|view| {
            let from = view.desk.files.len();
            let to_come = progress.1.saturating_sub(progress.0);
            let twice = view.desk.append_files(files, to_come);
            let added = from..view.desk.files.len();
            view.catalog.files_arrived(&view.desk, added, ahead);
            view.loading = (!done).then_some(progress);
            let problems = (problems.iter().chain(&twice))
                .map(ToString::to_string)
                .collect();
            Some(Delta::FilesAdded {
                files: from..view.desk.files.len(),
                problems,
            })
        });
    }

    fn files_held(&self) -> usize {
        super::lock(&self.state).view.desk.files.len()
    }

    fn position_of(&self, path: &Path) -> Option<usize> {
        super::lock(&self.state).view.desk.position(path).ok()
    }
}
