//! `cargo bench --bench terminal`: the real binary in a pseudo-terminal at
//! 80x24, as a reviewer over SSH would run it. Prints launch-to-first-frame,
//! keystroke-to-frame latency, and the bytes sent per keystroke (what a slow
//! link has to carry).

#[path = "../tests/common/pty.rs"]
mod pty;

use std::path::Path;
use std::time::{Duration, Instant};

use pty::PtyDesk;

const BIN: &str = env!("CARGO_BIN_EXE_claimdesk");
/// Output that stops for this long is taken as a finished frame.
const QUIET: Duration = Duration::from_millis(30);

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![100_000]
    } else {
        sizes
    };
    println!("claimdesk in a pseudo-terminal, 80x24 (release binary)");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("claims");
    measure("shipped article (claims/)", &shipped, 50.0);
    for n in sizes {
        let Ok(dir) = tempfile::tempdir() else {
            return eprintln!("no temp dir");
        };
        if let Err(e) = claimdesk::synth::write_desk(dir.path(), n.div_ceil(100), 100.min(n), 42) {
            return eprintln!("generating: {e}");
        }
        measure(&format!("{n} synthetic claims"), dir.path(), 1000.0);
    }
}

fn stats(samples: &[(usize, Duration)]) -> (f64, f64, f64) {
    let n = samples.len().max(1) as f64;
    let bytes = samples.iter().map(|s| s.0).sum::<usize>() as f64 / n;
    let mean = samples.iter().map(|s| s.1.as_secs_f64()).sum::<f64>() / n * 1000.0;
    let worst = samples
        .iter()
        .map(|s| s.1.as_secs_f64())
        .fold(0.0, f64::max)
        * 1000.0;
    (bytes, mean, worst)
}

/// Start the desk and wait for its first frame; the time it took.
fn start(dir: &str, cache: &Path) -> (PtyDesk, Duration) {
    let cache = cache.to_string_lossy();
    let env = [("XDG_CACHE_HOME", cache.as_ref())];
    let start = Instant::now();
    let args = ["-C", dir, "--reviewer", "bench"];
    let desk = PtyDesk::spawn(Path::new(BIN), &args, &env, 80, 24);
    desk.wait_for("first frame", Duration::from_secs(30), |s| {
        s.contains("Claims ")
    });
    (desk, start.elapsed())
}

fn quit(mut desk: PtyDesk) {
    desk.type_keys(&["\x1b", "q"]);
    let _ = desk.wait_exit(Duration::from_secs(5));
}

fn measure(label: &str, dir: &Path, launch_budget_ms: f64) {
    let Some(d) = dir.to_str() else { return };
    let Ok(cache) = tempfile::tempdir() else {
        return;
    };
    println!("\n{label}");
    let (desk, cold) = start(d, cache.path());
    // A session lasts longer than a benchmark: give the cache writer time to finish.
    std::thread::sleep(Duration::from_secs(3));
    quit(desk);
    let (mut desk, warm) = start(d, cache.path());
    desk.settle(QUIET);
    for (what, t) in [("cold (YAML)", cold), ("warm (cache)", warm)] {
        let ms = t.as_secs_f64() * 1000.0;
        println!(
            "  launch to first frame, {what:<12} {ms:>8.1} ms   (budget {launch_budget_ms} ms)"
        );
    }
    println!(
        "  first frame                  {:>8} bytes",
        desk.bytes_read()
    );

    let nav: Vec<_> = (0..30).map(|_| desk.key_to_frame("j", QUIET)).collect();
    let (bytes, mean, worst) = stats(&nav);
    println!(
        "  navigation key (j)           {bytes:>8.0} bytes/key   {mean:>6.2} ms mean   {worst:>6.2} ms worst"
    );

    desk.key_to_frame("/", QUIET);
    let search: Vec<_> = "cyber"
        .chars()
        .map(|c| desk.key_to_frame(&c.to_string(), QUIET))
        .collect();
    let (bytes, mean, worst) = stats(&search);
    println!(
        "  search key (typing 'cyber')  {bytes:>8.0} bytes/key   {mean:>6.2} ms mean   {worst:>6.2} ms worst"
    );
    println!("  (keystroke to the frame's last byte, through the pty)");

    let idle_before = desk.bytes_read();
    std::thread::sleep(Duration::from_secs(2));
    println!(
        "  idle for 2 s                 {:>8} bytes",
        desk.bytes_read() - idle_before
    );
    quit(desk);
}
