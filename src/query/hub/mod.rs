//! The one desk of the process: the loaded files and everything derived
//! from them (the catalog: source tree, facets, search index, counts),
//! published as immutable `View`s, and the only watcher of the disk.
//!
//! Every change comes out as one `Delta`, whatever made it: a save by any
//! session of this process, a change on disk (another process, an editor,
//! git), a file arriving while a large desk loads, a file removed. Sessions
//! hold the view they last showed and catch up through the deltas since,
//! so a list is brought up to date one way only (`List::apply`). Views
//! share what did not change (documents, folded text, blocks of the index),
//! so a new one costs what changed, and a server's sessions share one desk.

mod delta;
mod watch;

pub use delta::Delta;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use super::{Catalog, Prefolded};
use crate::store::{
    Change, ClaimsFile, Desk, Problems, Saved, Stamp, StoreError, load_file, load_settings,
};

/// The desk as published once: the files, what derives from them, and
/// how far a progressive load has come. Never changed after publishing.
#[derive(Debug, Clone)]
pub struct View {
    /// Counts the views published: a session behind it has deltas to take.
    pub version: u64,
    pub desk: Desk,
    pub catalog: Catalog,
    /// While files still arrive: how many are in, of how many.
    pub loading: Option<(usize, usize)>,
    /// The last sync with other bureaus, when this desk syncs.
    pub synced: Option<Synced>,
}

/// How the last sync with other bureaus went, for the header.
#[derive(Debug, Clone, PartialEq)]
pub struct Synced {
    /// When it ended.
    pub at: std::time::SystemTime,
    /// Whether it failed (could not reach the remote, a conflict).
    pub failed: bool,
    /// What it did or why it failed, in a line.
    pub said: String,
}

impl View {
    fn of(desk: Desk, loading: Option<(usize, usize)>) -> View {
        let catalog = Catalog::of(&desk);
        View {
            version: 0,
            desk,
            catalog,
            loading,
            synced: None,
        }
    }
}

/// How many deltas are kept for sessions catching up; one further behind
/// computes its list again.
const KEPT: usize = 4096;

/// Files whose documents the desk keeps whole at most (every file's head
/// is always kept): the files reviewers looked at last. Past it, the
/// least recently used go back to their heads, to be read back if asked for.
const HOT: usize = 256;

/// What a session behind the hub must take in to be up to date.
#[derive(Debug)]
pub struct Changes {
    pub view: Arc<View>,
    /// The deltas since the session's view, in order; `None` when it is so
    /// far behind that they are no longer kept (its list is computed anew).
    pub deltas: Option<Vec<Delta>>,
}

#[derive(Clone)]
pub struct Hub {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Hub(version {})", self.version())
    }
}

struct Inner {
    state: Mutex<State>,
    /// The published version, read without the lock by loops that wait.
    version: AtomicU64,
    /// Held while a view is being made: one change at a time.
    making: Mutex<()>,
    /// Told whenever a view is published (a server's sessions wake).
    listeners: Mutex<Vec<(u64, Listener)>>,
    next_listener: AtomicU64,
    /// Whether a thread watches the disk (else `check_disk` must be asked).
    watched: AtomicBool,
    dir: PathBuf,
}

type Listener = Box<dyn Fn() + Send + Sync>;

struct State {
    view: Arc<View>,
    /// The deltas of the last `KEPT` versions: (the version it made, it).
    log: VecDeque<(u64, Delta)>,
}

/// While it lives, `f` is called at each publishing (see `Hub::subscribe`).
pub struct Subscription {
    hub: Weak<Inner>,
    id: u64,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(inner) = self.hub.upgrade() {
            lock(&inner.listeners).retain(|(id, _)| *id != self.id);
        }
    }
}

/// A lock whose holder panicked is taken anyway: every holder leaves the
/// state whole (a view is swapped in at once, never changed in place).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Hub {
    /// A hub on an already loaded desk, without a watcher: `check_disk`
    /// looks at the disk when asked (tests, and a desk that must not watch).
    pub fn new(desk: Desk) -> Hub {
        let dir = desk.dir.clone();
        Hub::with_view(View::of(desk, None), dir)
    }

    fn with_view(view: View, dir: PathBuf) -> Hub {
        let version = view.version;
        Hub {
            inner: Arc::new(Inner {
                state: Mutex::new(State {
                    view: Arc::new(view),
                    log: VecDeque::new(),
                }),
                version: AtomicU64::new(version),
                making: Mutex::new(()),
                listeners: Mutex::new(Vec::new()),
                next_listener: AtomicU64::new(0),
                watched: AtomicBool::new(false),
                dir,
            }),
        }
    }

    /// Open the claims directory `dir` for the desk: its first files now,
    /// the rest taken in on a thread of the hub's, which then watches the
    /// directory for changes (inotify, else a look every second). With
    /// `cached`, through the user's parse cache.
    pub fn open(dir: &Path, cached: bool) -> Result<Hub, Problems> {
        let fold: crate::store::Prepare<Prefolded> = Arc::new(Prefolded::of);
        let (desk, arrivals) = Desk::start(dir, cached, fold)?;
        let loading = arrivals.as_ref().map(|a| a.progress());
        let hub = Hub::with_view(View::of(desk, loading), dir.to_path_buf());
        hub.inner.watched.store(true, Ordering::Relaxed);
        watch::start(Arc::downgrade(&hub.inner), arrivals).map_err(|e| {
            Problems::one(crate::store::Problem::file(
                dir,
                format!("cannot start the desk's loader and watcher: {e}"),
            ))
        })?;
        Ok(hub)
    }

    /// The desk as last published.
    pub fn view(&self) -> Arc<View> {
        Arc::clone(&lock(&self.inner.state).view)
    }

    /// The version last published (without taking a lock).
    pub fn version(&self) -> u64 {
        self.inner.version.load(Ordering::Acquire)
    }

    /// Whether a thread of the hub watches the disk.
    pub fn watched(&self) -> bool {
        self.inner.watched.load(Ordering::Relaxed)
    }

    /// The view now and the deltas since version `since`.
    pub fn changes_since(&self, since: u64) -> Changes {
        let state = lock(&self.inner.state);
        let view = Arc::clone(&state.view);
        let kept_from = state.log.front().map_or(view.version, |(v, _)| v - 1);
        let deltas = (since >= kept_from).then(|| {
            (state.log.iter())
                .filter(|(v, _)| *v > since)
                .map(|(_, d)| d.clone())
                .collect()
        });
        Changes { view, deltas }
    }

    /// Call `f` (on the publishing thread: it must be quick, and must not
    /// call the hub) whenever a view is published, while the subscription lives.
    pub fn subscribe(&self, f: impl Fn() + Send + Sync + 'static) -> Subscription {
        let id = self.inner.next_listener.fetch_add(1, Ordering::Relaxed);
        lock(&self.inner.listeners).push((id, Box::new(f)));
        Subscription {
            hub: Arc::downgrade(&self.inner),
            id,
        }
    }

    /// Save one change durably (see `store::save`): the new version of its
    /// file is published before the file's lock is let go. A change refused
    /// because someone changed the claim since also publishes the file as
    /// it is on disk, so the desk shows what they did.
    pub fn save(&self, change: &Change) -> Result<Saved, StoreError> {
        let view = self.view();
        let path = match &change.edit {
            // A claim put back is not there to be found by its id.
            crate::store::Edit::Reinstate { file, .. } => Arc::clone(file),
            _ => {
                let at = view.desk.resolve(&change.claim.0)?;
                Arc::clone(&view.desk.files[at.file()].path)
            }
        };
        let scale = view.desk.settings.rating_scale.clone();
        drop(view);
        crate::store::save(&path, &scale, change, &mut |file| {
            self.inner.take_file(file);
        })
    }

    /// Look at the disk now: files changed, added or removed since they
    /// were read are taken in (each as a delta); the problems of files that
    /// do not read are published too. Whether anything changed.
    pub fn check_disk(&self) -> bool {
        self.inner.check_disk()
    }

    /// Publish how the last sync with other bureaus went.
    pub fn set_synced(&self, synced: Synced) {
        self.inner.publish(|view| {
            view.synced = Some(synced);
            Some(Delta::Synced)
        });
    }

    /// Let go of the documents of all but the `hot` files looked at last
    /// (the hub's thread does it by itself past `HOT`).
    pub fn cool_down(&self, hot: usize) -> bool {
        self.inner.cool_down(hot)
    }
}

impl Inner {
    /// Make the next view from the current one with `change`, and publish
    /// it with its delta. `change` returns `None` when it changed nothing.
    fn publish(&self, change: impl FnOnce(&mut View) -> Option<Delta>) -> bool {
        let _making = lock(&self.making);
        let current = Arc::clone(&lock(&self.state).view);
        let mut next = View::clone(&current);
        drop(current);
        let Some(delta) = change(&mut next) else {
            return false;
        };
        {
            let mut state = lock(&self.state);
            next.version = state.view.version + 1;
            let version = next.version;
            state.view = Arc::new(next);
            state.log.push_back((version, delta));
            while state.log.len() > KEPT {
                state.log.pop_front();
            }
            self.version.store(version, Ordering::Release);
        }
        for (_, tell) in lock(&self.listeners).iter() {
            tell();
        }
        true
    }

    /// Publish a message every session shows (a file that does not read).
    fn tell(&self, message: String) {
        self.publish(|_| Some(Delta::Unreadable(message)));
    }

    /// Take `file` (read from disk, or just written) as the desk's copy of
    /// its path, if it is still what the disk holds: a slower reader of an
    /// older version never replaces a newer one.
    fn take_file(&self, file: ClaimsFile) -> bool {
        self.publish(|view| {
            if Stamp::of(&file.path) != file.stamp {
                return None;
            }
            let desk = &mut view.desk;
            match desk
                .files
                .binary_search_by(|f| f.path.file_name().cmp(&file.path.file_name()))
            {
                Ok(fi) => {
                    if desk.files[fi].stamp == file.stamp && desk.files[fi].stamp.is_some() {
                        return None;
                    }
                    let before = desk.files[fi].head.claims.len();
                    desk.replace_file(fi, file);
                    view.catalog.file_changed(desk, fi);
                    Some(Delta::FileChanged { file: fi, before })
                }
                Err(at) => {
                    let problems = desk.insert_file(at, file);
                    view.catalog.files_added(desk, at..at + 1);
                    let delta = Delta::FilesAdded {
                        files: at..at + 1,
                        problems: problems.iter().map(ToString::to_string).collect(),
                    };
                    Some(delta)
                }
            }
        })
    }

    /// File `path` is gone from disk: so it goes from the desk.
    fn drop_file(&self, path: &Path) -> bool {
        self.publish(|view| {
            if path.exists() {
                return None;
            }
            let desk = &mut view.desk;
            let fi = desk.position(path).ok()?;
            let before = desk.files[fi].head.claims.len();
            desk.remove_file(fi);
            view.catalog.file_removed(desk, fi);
            Some(Delta::FileRemoved { file: fi, before })
        })
    }

    /// The settings file changed: the desk's scale and display defaults
    /// may be others now. Lists are computed again.
    fn settings_changed(&self) -> bool {
        let settings = match load_settings(&self.dir) {
            Ok(s) => s,
            Err(p) => {
                self.tell(format!("the desk settings were not reloaded: {p}"));
                return false;
            }
        };
        self.publish(|view| {
            if view.desk.settings == settings {
                return None;
            }
            view.desk.set_settings(settings);
            view.catalog.rebuilt(&view.desk);
            Some(Delta::Reset)
        })
    }

    /// Read `path` again if the disk holds another version than the desk
    /// (or a new file), and take it in; a file that does not read keeps
    /// its last good copy and is told about.
    fn look_at(&self, path: &Path) -> bool {
        let known = {
            let state = lock(&self.state);
            let desk = &state.view.desk;
            desk.position(path).ok().map(|fi| desk.files[fi].stamp)
        };
        self.look_at_known(path, known)
    }

    /// `look_at`, knowing what the desk holds of `path`: `None` if it is
    /// not in the desk, else the stamp of the version it holds.
    fn look_at_known(&self, path: &Path, known: Option<Option<Stamp>>) -> bool {
        let stamp = Stamp::of(path);
        match (stamp, known) {
            (None, Some(_)) => self.drop_file(path),
            (None, None) => false,
            (Some(now), Some(Some(then))) if now == then => false,
            (Some(_), _) => {
                let scale = lock(&self.state).view.desk.settings.rating_scale.clone();
                match load_file(path, Some(&scale)) {
                    Ok(doc) => self.take_file(ClaimsFile::new(path.into(), doc, stamp)),
                    Err(p) => {
                        self.tell(format!("not reloaded: {p}"));
                        true
                    }
                }
            }
        }
    }

    /// Let go of the documents of the files looked at least recently, past
    /// `hot` files kept whole.
    fn cool_down(&self, hot: usize) -> bool {
        let coldest: Vec<usize> = {
            let state = lock(&self.state);
            let files = &state.view.desk.files;
            let mut warm: Vec<(u64, usize)> = (files.iter().enumerate())
                .filter_map(|(i, f)| {
                    let (is_hot, used) = f.warmth();
                    is_hot.then_some((used, i))
                })
                .collect();
            if warm.len() <= hot {
                return false;
            }
            warm.sort_unstable();
            let over = warm.len() - hot / 2;
            warm.into_iter().take(over).map(|(_, i)| i).collect()
        };
        self.publish(|view| {
            let reading = view.desk.reading();
            for fi in coldest {
                view.desk.cool(fi, &reading);
            }
            Some(Delta::Cooled)
        })
    }

    /// Every claims file of the directory looked at (see `Hub::check_disk`).
    fn check_disk(&self) -> bool {
        let listed = match crate::store::claims_files_in(&self.dir) {
            Ok(paths) => paths,
            Err(p) => {
                self.tell(format!("not reloaded: {p}"));
                return true;
            }
        };
        // Both in name order: one walk through the two.
        let held: Vec<(Arc<Path>, Option<Stamp>)> = {
            let state = lock(&self.state);
            (state.view.desk.files.iter())
                .map(|f| (Arc::clone(&f.path), f.stamp))
                .collect()
        };
        let mut changed = false;
        let mut held = held.into_iter().peekable();
        for path in &listed {
            while let Some((gone, _)) = held.next_if(|(h, _)| h.file_name() < path.file_name()) {
                changed |= self.drop_file(&gone);
            }
            let known = held.next_if(|(h, _)| h.file_name() == path.file_name());
            changed |= self.look_at_known(path, known.map(|(_, stamp)| stamp));
        }
        for (gone, _) in held {
            changed |= self.drop_file(&gone);
        }
        changed |= self.settings_changed();
        changed
    }
}

#[cfg(test)]
mod tests;
