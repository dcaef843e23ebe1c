//! `cargo bench`: the desk's speed and memory at 1k, 10k and 100k claims,
//! each figure printed next to its budget.
//!
//! Every size runs in a fresh process (this binary re-run with
//! CLAIMDESK_BENCH_CLAIMS set), so peak memory belongs to that size alone.
//! Synthetic desks come from `claimdesk::synth`: 100 claims a file, Arabic
//! text with harakat and English translations. Pass sizes to pick others:
//! `cargo bench -- 1000 250000`.
//!
//! With CLAIMDESK_BENCH_INSTRUCTIONS=N it only types the two benchmark
//! queries into an N-claim desk, each keystroke inside `measured_keystroke`,
//! for `benches/instructions.sh` to count under callgrind: instruction
//! counts repeat exactly from run to run, where times on a shared machine do not.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use claimdesk::app::{Action, App, Capabilities, Display, Screen, Session, update};
use claimdesk::model::Status;
use claimdesk::query::{Catalog, Hub, SearchIndex, SourceTree};
use claimdesk::store::Desk;
use claimdesk::text::Bidi;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const PER_FILE: usize = 100;

fn main() {
    if let Ok(n) = std::env::var("CLAIMDESK_BENCH_INSTRUCTIONS") {
        match n.parse() {
            Ok(n) => keystrokes_to_count(n),
            Err(_) => eprintln!("CLAIMDESK_BENCH_INSTRUCTIONS must be a number, got {n}"),
        }
        return;
    }
    if let Some(dir) = std::env::var_os("CLAIMDESK_BENCH_SERVE") {
        return serve_sessions(Path::new(&dir));
    }
    if let Some(dir) = std::env::var_os("CLAIMDESK_BENCH_WARM") {
        return warm_start(Path::new(&dir));
    }
    if let Some(dir) = std::env::var_os("CLAIMDESK_BENCH_STATS") {
        return stats_cold(Path::new(&dir));
    }
    if let Ok(n) = std::env::var("CLAIMDESK_BENCH_CLAIMS") {
        match n.parse() {
            Ok(n) => run_one(n),
            Err(_) => eprintln!("CLAIMDESK_BENCH_CLAIMS must be a number, got {n}"),
        }
        return;
    }
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000, 100_000]
    } else {
        sizes
    };
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => return eprintln!("cannot find the bench binary: {e}"),
    };
    println!(
        "claimdesk benchmark ({} cores)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    shipped();
    hostile();
    for n in sizes {
        let status = Command::new(&exe)
            .env("CLAIMDESK_BENCH_CLAIMS", n.to_string())
            .status();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("size {n} failed");
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(name: &str, value: f64, unit: &str, budget: Option<f64>) {
    let verdict = match budget {
        Some(b) if value <= b => format!("budget {b} {unit}: ok"),
        Some(b) => format!("budget {b} {unit}: OVER"),
        None => String::new(),
    };
    println!("  {name:<34} {value:>10.2} {unit:<3} {verdict}");
}

/// Peak resident memory of this process, from the kernel.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Draw a frame, and give the app what it laid out, as the drive loop does.
fn frame(term: &mut Terminal<TestBackend>, state: &mut App) {
    let mut layout = state.screen().layout();
    let _ = term.draw(|f| layout = claimdesk::ui::render(state, f));
    if layout != state.screen().layout() {
        update(state, Action::Layout(layout));
    }
}

fn display() -> Display {
    Display {
        bidi: Bidi::Reorder,
        bidi_choice: Default::default(),
        color: true,
        time_zone: jiff::tz::TimeZone::UTC,
    }
}

const CAPS: Capabilities = Capabilities {
    editor: false,
    suspend: false,
};

/// Open the desk as `claimdesk` does: the first files, a first frame, then
/// the rest taken in (from the hub's thread) as the drive loop does, until
/// all are in. The times to the first frame and to the whole desk.
fn launch_progressive(
    dir: &Path,
    cached: bool,
) -> (App, Terminal<TestBackend>, Duration, Duration) {
    let start = Instant::now();
    let hub = match Hub::open(dir, cached) {
        Ok(h) => h,
        Err(p) => panic!("synthetic desk invalid: {p}"),
    };
    let mut state = App::new(
        Session::on(hub, Some("bench".into())),
        Screen::new(display(), CAPS),
    );
    let mut term = match Terminal::new(TestBackend::new(80, 24)) {
        Ok(t) => t,
        Err(e) => panic!("test backend: {e}"),
    };
    frame(&mut term, &mut state);
    let first = start.elapsed();
    while state.session().loading().is_some() {
        std::thread::sleep(Duration::from_millis(2));
        if state.session().behind() {
            update(&mut state, Action::DeskChanged);
            frame(&mut term, &mut state);
        }
    }
    (state, term, first, start.elapsed())
}

/// The budgets of issue #13: the 100k column up to 100k claims, the 1M one above.
struct Budgets {
    whole_cold: f64,
    whole_warm: f64,
    rss: f64,
    stats_cold: f64,
}

fn budgets(claims: usize) -> Budgets {
    if claims <= 100_000 {
        Budgets {
            whole_cold: 800.0,
            whole_warm: 150.0,
            rss: 200.0,
            stats_cold: 800.0,
        }
    } else {
        Budgets {
            whole_cold: 5000.0,
            whole_warm: 1500.0,
            rss: 1000.0,
            stats_cold: 5000.0,
        }
    }
}

const FIRST_FRAME: f64 = 150.0;

fn shipped() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("claims");
    let (_, _, first, _) = launch_progressive(&dir, false);
    println!("\nshipped article (the claims in claims/)");
    report("launch to first frame", ms(first), "ms", Some(50.0));
}

/// Any file of about 1 MB, valid or hostile, is accepted or refused fast.
fn hostile() {
    println!("\nhostile 1 MB claims files (accepted or refused)");
    for (what, body) in claimdesk::synth::hostile_files() {
        let Ok(dir) = tempfile::tempdir() else {
            return eprintln!("temp dir failed");
        };
        if std::fs::write(dir.path().join("a.yaml"), &body).is_err() {
            return eprintln!("cannot write a hostile file");
        }
        let start = Instant::now();
        let outcome = match Desk::load(dir.path()) {
            Ok(_) => "accepted",
            Err(_) => "refused",
        };
        report(
            &format!("{what} ({outcome})"),
            ms(start.elapsed()),
            "ms",
            Some(500.0),
        );
    }
}

/// Per-keystroke times (update + full frame) for a sequence of actions:
/// (mean, max). Also the most page faults one keystroke took, printed for
/// searches: a fault (fresh memory, zeroed by the kernel) costs time that
/// an instruction count does not show.
fn keystrokes(state: &mut App, term: &mut Terminal<TestBackend>, actions: &[Action]) -> (f64, f64) {
    let mut total = Duration::ZERO;
    let mut worst = Duration::ZERO;
    let mut faults = 0;
    for a in actions {
        let (t, before) = (Instant::now(), page_faults());
        update(state, a.clone());
        frame(term, state);
        let d = t.elapsed();
        faults = faults.max(page_faults() - before);
        total += d;
        if d > worst {
            worst = d;
            WORST_KEY.set(format!("{a:?}"));
        }
    }
    FAULTS.set(faults);
    (ms(total) / actions.len().max(1) as f64, ms(worst))
}

thread_local! {
    /// The most page faults a keystroke took in the last `keystrokes`.
    static FAULTS: std::cell::Cell<i64> = const { std::cell::Cell::new(0) };
    /// The slowest keystroke of the last `keystrokes`.
    static WORST_KEY: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

/// Page faults of this process so far (every thread's), from the kernel:
/// `minflt`, the tenth field of /proc/self/stat.
fn page_faults() -> i64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields are counted after the command name, which may hold spaces.
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    after_name
        .split_whitespace()
        .nth(7)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

const QUERIES: [(&str, &str); 2] = [
    ("search keystroke, Arabic (mean)", "الهجمات"),
    ("search keystroke, English (mean)", "cyberattack"),
];

fn typing(query: &str) -> Vec<Action> {
    let mut v = vec![Action::SearchStart];
    v.extend(query.chars().map(Action::Input));
    v.extend(query.chars().map(|_| Action::Backspace));
    v.push(Action::Back);
    v
}

/// One keystroke: update and full frame. Not inlined, so callgrind can
/// count exactly what happens inside it (`--toggle-collect`).
#[inline(never)]
fn measured_keystroke(state: &mut App, term: &mut Terminal<TestBackend>, action: Action) {
    update(state, action);
    frame(term, state);
}

fn keystrokes_to_count(n: usize) {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => return eprintln!("temp dir: {e}"),
    };
    // A desk made beforehand (`claimdesk synth`, outside callgrind, where
    // writing a million claims would take a quarter of an hour), or one made here.
    let given = std::env::var_os("CLAIMDESK_BENCH_DESK").map(std::path::PathBuf::from);
    let desk_dir = given.clone().unwrap_or_else(|| dir.path().to_path_buf());
    if given.is_none()
        && let Err(e) =
            claimdesk::synth::write_desk(dir.path(), n.div_ceil(PER_FILE), PER_FILE.min(n), 42)
    {
        return eprintln!("generating: {e}");
    }
    // A given desk is read through the parse cache its maker filled.
    let (mut state, mut term, first, whole) = launch_progressive(&desk_dir, given.is_some());
    eprintln!(
        "first frame {:.1} ms, whole desk {:.0} ms",
        ms(first),
        ms(whole)
    );
    // Wait for the search index outside the count: a search and its undoing.
    for a in [Action::SearchStart, Action::Input('x'), Action::Back] {
        update(&mut state, a);
    }
    let mut count = 0;
    for q in QUERIES.map(|(_, q)| q) {
        for a in typing(q) {
            // Each key's time and page faults on stderr, for finding the slow one.
            let (t, before) = (Instant::now(), page_faults());
            let what = format!("{a:?}");
            measured_keystroke(&mut state, &mut term, a);
            let hits = state.screen().list().visible().len();
            eprintln!(
                "{what:<16} {:>8.2} ms {:>6} faults {hits:>8} listed",
                ms(t.elapsed()),
                page_faults() - before
            );
            count += 1;
        }
    }
    println!("{n} claims: {count} search keystrokes measured");
}

fn run_one(n: usize) {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => return eprintln!("temp dir: {e}"),
    };
    let files = n.div_ceil(PER_FILE);
    if let Err(e) = claimdesk::synth::write_desk(dir.path(), files, PER_FILE.min(n), 42) {
        return eprintln!("generating: {e}");
    }
    let bytes: u64 = std::fs::read_dir(dir.path())
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0);
    println!(
        "\n{n} claims in {files} files ({:.1} MB of YAML)",
        bytes as f64 / 1e6
    );
    let budget = budgets(n);
    let (mut state, mut term, first, whole) = launch_progressive(dir.path(), false);
    report("first frame, cold", ms(first), "ms", Some(FIRST_FRAME));
    report(
        "whole desk loaded, cold",
        ms(whole),
        "ms",
        Some(budget.whole_cold),
    );

    let moves = vec![Action::Down; 300];
    let (mean, worst) = keystrokes(&mut state, &mut term, &moves);
    report("move selection (mean)", mean, "ms", Some(2.0));
    report("move selection (worst)", worst, "ms", None);

    for (label, q) in QUERIES {
        let (mean, worst) = keystrokes(&mut state, &mut term, &typing(q));
        report(label, mean, "ms", Some(16.0));
        report(
            &format!("  worst: {}", WORST_KEY.take()),
            worst,
            "ms",
            Some(16.0),
        );
        report("  page faults, worst key", FAULTS.get() as f64, "", None);
    }

    let filter = [
        Action::SourcePicker,
        Action::Down,
        Action::Confirm,
        Action::ClearFilters,
    ];
    let (mean, worst) = keystrokes(&mut state, &mut term, &filter);
    report("source filter keystroke (mean)", mean, "ms", Some(16.0));
    report("  worst", worst, "ms", Some(16.0));

    let marks: Vec<Action> = (0..20)
        .flat_map(|i| [Action::Down, Action::SetStatus(Status::ALL[2 + i % 4])])
        .collect();
    let start = Instant::now();
    let mut worst = Duration::ZERO;
    for pair in marks.chunks(2) {
        update(&mut state, pair[0].clone());
        let t = Instant::now();
        update(&mut state, pair[1].clone());
        frame(&mut term, &mut state);
        worst = worst.max(t.elapsed());
    }
    report(
        "mark a status, durable (mean)",
        ms(start.elapsed()) / 20.0,
        "ms",
        Some(20.0),
    );
    report("  worst", ms(worst), "ms", Some(20.0));
    if let Some(m) = state.screen().message()
        && m.error
    {
        println!("  (last save failed: {})", m.text);
    }
    report("peak memory (RSS)", peak_rss_mb(), "MB", Some(budget.rss));
    fzf_reference(&state, dir.path());
    drop((state, term));

    // `claimdesk stats` is a process of its own too.
    in_own_process("CLAIMDESK_BENCH_STATS", dir.path(), "stats");

    // Last, as it holds a second desk for a moment: the parent points
    // XDG_CACHE_HOME at a fresh directory; fill it as a first start does
    // (the parsed files, and the search index's folding kept beside
    // them), then start warm.
    if let Ok(desk) = Desk::load_cached(dir.path()) {
        drop(SearchIndex::build(&desk, &SourceTree::of(&desk)));
        desk.finish_cache();
    }
    wait_for_cache(files);
    // A warm start, in a process of its own as a reviewer's second start
    // is: in this one, the first allocations would sort through the heap
    // that the desks above freed (malloc_trim here takes 0.2 s at 1M).
    in_own_process("CLAIMDESK_BENCH_WARM", dir.path(), "warm start");
    // A server's sessions, in a process of their own so its peak is theirs.
    in_own_process("CLAIMDESK_BENCH_SERVE", dir.path(), "serve sessions");
}

/// This bench re-run with `var` set to `dir`, to measure in a fresh process.
fn in_own_process(var: &str, dir: &Path, what: &str) {
    let status = std::env::current_exe().and_then(|exe| {
        Command::new(exe)
            .env_remove("CLAIMDESK_BENCH_CLAIMS")
            .env(var, dir)
            .status()
    });
    if !status.is_ok_and(|s| s.success()) {
        println!("  ({what}: the measuring process failed)");
    }
}

/// What `claimdesk stats` does, cold: load all, count, no search index.
fn stats_cold(dir: &Path) {
    let start = Instant::now();
    match Desk::load(dir) {
        Ok(desk) => {
            let rows = Catalog::without_index(&desk).stats_rows(&desk);
            std::hint::black_box(rows);
            report(
                "stats, cold",
                ms(start.elapsed()),
                "ms",
                Some(budgets(desk.claim_count()).stats_cold),
            );
        }
        Err(p) => println!("  (stats: the desk did not load: {p})"),
    }
}

/// A start with the cache filled: the first frame, and the whole desk.
fn warm_start(dir: &Path) {
    let (state, _, first, whole) = launch_progressive(dir, true);
    let budget = budgets(state.session().desk().claim_count());
    report(
        "first frame, warm cache",
        ms(first),
        "ms",
        Some(FIRST_FRAME),
    );
    report(
        "whole desk loaded, warm cache",
        ms(whole),
        "ms",
        Some(budget.whole_warm),
    );
}

/// What `claimdesk serve` holds with `SESSIONS` reviewers connected, each
/// having searched: the desk and index loaded once, as the server does,
/// and a session per reviewer started from them as a connection starts one.
fn serve_sessions(dir: &Path) {
    const SESSIONS: usize = 32;
    let desk = match Desk::load_cached(dir) {
        Ok(d) => d,
        Err(p) => return println!("  (serve: the desk did not load: {p})"),
    };
    let claims = desk.claim_count();
    let hub = Hub::new(desk);
    let alone = peak_rss_mb();
    let mut sessions = Vec::new();
    for i in 0..SESSIONS {
        let session = Session::on(hub.clone(), Some(format!("r{i}")));
        let mut state = App::new(session, Screen::new(display(), CAPS));
        let mut term = match Terminal::new(TestBackend::new(80, 24)) {
            Ok(t) => t,
            Err(e) => return println!("  (serve: test backend: {e})"),
        };
        let query = QUERIES[i % QUERIES.len()].1;
        let keys = std::iter::once(Action::SearchStart).chain(query.chars().map(Action::Input));
        for a in keys.chain([Action::Confirm]) {
            update(&mut state, a);
        }
        frame(&mut term, &mut state);
        sessions.push((state, term));
    }
    let budget = (claims > 100_000).then_some(2048.0);
    report("serve: the desk and index alone", alone, "MB", None);
    report(
        &format!("serve: {SESSIONS} sessions, each searched"),
        peak_rss_mb(),
        "MB",
        budget,
    );
    let per = (peak_rss_mb() - alone) / SESSIONS as f64;
    report("  each session", per, "MB", None);
}

/// The cache is written in the background after start-up; wait until it holds every file.
fn wait_for_cache(files: usize) {
    let Some(home) = std::env::var_os("XDG_CACHE_HOME") else {
        return;
    };
    let count = || -> usize {
        let root = Path::new(&home).join("claimdesk");
        std::fs::read_dir(root)
            .into_iter()
            .flatten()
            .flatten()
            .map(|d| std::fs::read_dir(d.path()).map_or(0, |e| e.count()))
            .sum()
    };
    let start = Instant::now();
    while count() < files && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// What fast feels like: `fzf --filter` over the same texts (one line per
/// claim: text and translation), when fzf is installed. fzf's time includes
/// its process start and reading the file; ours is one keystroke in memory.
fn fzf_reference(state: &App, dir: &Path) {
    let lines: Vec<String> = state
        .session()
        .desk()
        .claims()
        .map(|(_, c)| format!("{} {}", c.text, c.translation))
        .collect();
    let file = dir.join("fzf-input.txt");
    if std::fs::write(&file, lines.join("\n")).is_err() {
        return;
    }
    for q in ["الهجمات", "cyberattack"] {
        let Ok(input) = std::fs::File::open(&file) else {
            return;
        };
        let start = Instant::now();
        let out = Command::new("fzf")
            .args(["--filter", q])
            .stdin(input)
            .output();
        match out {
            Ok(_) => report(
                &format!("fzf --filter {q} (reference)"),
                ms(start.elapsed()),
                "ms",
                None,
            ),
            Err(_) => return println!("  (fzf not installed: no reference figure)"),
        }
    }
}
