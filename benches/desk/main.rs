//! `cargo bench`: the desk's speed and memory at 1k, 10k and 100k claims,
//! on two desks each, every figure printed next to its budget.
//!
//! Every size and desk runs in a fresh process (this binary re-run with
//! CLAIMDESK_BENCH_CLAIMS set), so peak memory belongs to it alone.
//! Desks come from `claimdesk::synth`, 100 claims a file: the plain one
//! (a small vocabulary, the desk's own YAML) and a newsroom's (a
//! vocabulary that grows with the desk, notes and history on a sixth of
//! the claims, values double-quoted by another YAML writer). Pass sizes to
//! pick others, and `--plain` or `--newsroom` for one desk:
//! `cargo bench --bench desk -- 1000000 --newsroom`.
//!
//! With CLAIMDESK_BENCH_INSTRUCTIONS=N it only types the two benchmark
//! queries into an N-claim desk, each keystroke inside `measured_keystroke`,
//! for `benches/instructions.sh` to count under callgrind: instruction
//! counts repeat exactly from run to run, where times on a shared machine do not.

mod launch;
#[path = "../../tests/common/pty.rs"]
mod pty;
mod serve;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use claimdesk::app::{Action, App, Capabilities, Display, update};
use claimdesk::model::Status;
use claimdesk::query::Catalog;
use claimdesk::store::Desk;
use claimdesk::synth::Shape;
use claimdesk::text::Bidi;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use launch::{Launch, launch};

const PER_FILE: usize = 100;

/// The desk this process measures (CLAIMDESK_BENCH_SHAPE).
fn shape() -> Shape {
    match std::env::var("CLAIMDESK_BENCH_SHAPE").as_deref() {
        Ok("newsroom") => Shape::Newsroom,
        _ => Shape::Plain,
    }
}

fn shape_name(shape: Shape) -> &'static str {
    match shape {
        Shape::Plain => "plain",
        Shape::Newsroom => "newsroom",
    }
}

fn main() {
    if let Ok(n) = std::env::var("CLAIMDESK_BENCH_INSTRUCTIONS") {
        match n.parse() {
            Ok(n) => keystrokes_to_count(n),
            Err(_) => eprintln!("CLAIMDESK_BENCH_INSTRUCTIONS must be a number, got {n}"),
        }
        return;
    }
    if let Some(dir) = std::env::var_os("CLAIMDESK_BENCH_SERVE") {
        return serve::in_process(Path::new(&dir));
    }
    if let Some(dir) = std::env::var_os("CLAIMDESK_BENCH_SSH") {
        let claims: usize = std::env::var("CLAIMDESK_BENCH_SIZE")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let bin = Path::new(env!("CARGO_BIN_EXE_claimdesk"));
        return serve::over_ssh(Path::new(&dir), bin, claims);
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
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000, 100_000]
    } else {
        sizes
    };
    let only = |flag: &str| args.iter().any(|a| a == flag);
    let shapes: Vec<&str> = match (only("--plain"), only("--newsroom")) {
        (true, false) => vec!["plain"],
        (false, true) => vec!["newsroom"],
        _ => vec!["plain", "newsroom"],
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
        for shape in &shapes {
            // A parse cache of its own, fresh: warm starts are measured on
            // what this run filled, never on a user's cache.
            let Ok(cache) = tempfile::tempdir() else {
                return eprintln!("cannot make a temp dir for the cache");
            };
            let status = Command::new(&exe)
                .env("CLAIMDESK_BENCH_CLAIMS", n.to_string())
                .env("CLAIMDESK_BENCH_SHAPE", shape)
                .env("XDG_CACHE_HOME", cache.path())
                .env_remove("CLAIMDESK_NO_CACHE")
                .status();
            if !status.is_ok_and(|s| s.success()) {
                eprintln!("size {n}, {shape} desk: failed");
            }
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
    let Launch { first, .. } = launch(&dir, false);
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
    let Launch {
        app: mut state,
        mut term,
        first,
        whole,
        ..
    } = launch(&desk_dir, given.is_some());
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
    let shape = shape();
    let files = n.div_ceil(PER_FILE);
    if let Err(e) =
        claimdesk::synth::write_desk_shaped(dir.path(), files, PER_FILE.min(n), 42, shape)
    {
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
        "\n{n} claims in {files} files, {} desk ({:.1} MB of YAML)",
        shape_name(shape),
        bytes as f64 / 1e6
    );
    let budget = budgets(n);
    // No parse cache: neither read nor written.
    let opened = launch(dir.path(), false);
    report_launch(&opened, "cold", budget.whole_cold);
    let Launch {
        app: mut state,
        mut term,
        ..
    } = opened;

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

    // The parent points XDG_CACHE_HOME at a fresh directory: fill it as a
    // first start does (the parsed files, and the search index's folding
    // kept beside them), then start warm, in a process of its own as a
    // reviewer's second start is.
    let filled = launch(dir.path(), true);
    drop(filled);
    wait_for_cache(2 * files);
    in_own_process("CLAIMDESK_BENCH_WARM", dir.path(), "warm start");
    // A server's sessions, in processes of their own so their peaks are theirs.
    in_own_process("CLAIMDESK_BENCH_SERVE", dir.path(), "serve sessions");
    in_own_process("CLAIMDESK_BENCH_SSH", dir.path(), "serve over SSH");
}

/// The figures of a launch: `how` it started ("cold", "warm").
fn report_launch(l: &Launch, how: &str, whole_budget: f64) {
    report(
        &format!("first frame, {how}"),
        ms(l.first),
        "ms",
        Some(FIRST_FRAME),
    );
    report(
        &format!("whole desk loaded, {how}"),
        ms(l.whole),
        "ms",
        Some(whole_budget),
    );
    report(
        "first search key while loading",
        ms(l.first_search_key),
        "ms",
        Some(16.0),
    );
    report("  claims it searched", l.searched_first as f64, "", None);
    report(
        &format!("worst of {} keys while loading", l.loading_keys),
        ms(l.worst_loading_key),
        "ms",
        Some(16.0),
    );
    report(
        "  longest intake of arriving files",
        ms(l.worst_intake),
        "ms",
        Some(16.0),
    );
}

/// This bench re-run with `var` set to `dir`, to measure in a fresh process.
fn in_own_process(var: &str, dir: &Path, what: &str) {
    let size = std::env::var("CLAIMDESK_BENCH_CLAIMS").unwrap_or_default();
    let status = std::env::current_exe().and_then(|exe| {
        Command::new(exe)
            .env_remove("CLAIMDESK_BENCH_CLAIMS")
            .env("CLAIMDESK_BENCH_SIZE", size)
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

/// A start with the cache filled: the first frame, the keys typed while
/// the rest arrives, the whole desk, and the memory it took.
fn warm_start(dir: &Path) {
    let l = launch(dir, true);
    let budget = budgets(l.app.session().desk().claim_count());
    report_launch(&l, "warm", budget.whole_warm);
    report(
        "peak memory (RSS), warm",
        peak_rss_mb(),
        "MB",
        Some(budget.rss),
    );
}

/// The cache is written in the background after start-up; wait until it
/// holds `entries` (a parse and a folding a file).
fn wait_for_cache(entries: usize) {
    let Some(home) = std::env::var_os("XDG_CACHE_HOME") else {
        return;
    };
    // Entries are files of each desk's directory, and of its directories.
    fn files_in(dir: &Path, depth: usize) -> usize {
        let entries = std::fs::read_dir(dir).into_iter().flatten().flatten();
        entries
            .map(|e| match e.file_type() {
                Ok(t) if t.is_dir() && depth > 0 => files_in(&e.path(), depth - 1),
                Ok(t) if t.is_file() => 1,
                _ => 0,
            })
            .sum()
    }
    let count = || files_in(&Path::new(&home).join("claimdesk"), 2);
    let start = Instant::now();
    while count() < entries && start.elapsed() < Duration::from_secs(120) {
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
