//! Benchmark: `rasci check` on a generated project of 10,000 tasks × 30 parties × 10
//! scopes, and on the example project. Run with `cargo bench --bench check`.
//!
//! It times the release binary end to end (start-up, reading, parsing, checking,
//! reporting), as a CI job would run it, and prints the median and the spread of
//! several runs. `--keep DIR` writes the generated project there instead of a
//! temporary folder, to time it with other tools too.

#[path = "common/generated.rs"]
mod generated;

use generated::{PARTIES, SCOPES, TASKS, generate};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 7;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let keep = args
        .iter()
        .position(|a| a == "--keep")
        .and_then(|i| args.get(i + 1));
    let temp = tempfile::tempdir().expect("temporary folder");
    let root = keep.map_or(temp.path(), |k| Path::new(k.as_str()));
    generate(root);

    let binary = env!("CARGO_BIN_EXE_rasci");
    let example = Path::new(env!("CARGO_MANIFEST_DIR"));
    report("example project", binary, example);
    report(
        &format!("{TASKS} tasks × {PARTIES} parties × {SCOPES} scopes"),
        binary,
        root,
    );
}

fn report(name: &str, binary: &str, root: &Path) {
    let mut times: Vec<Duration> = (0..RUNS).map(|_| time_check(binary, root)).collect();
    times.sort();
    println!(
        "rasci check, {name}: median {:.1} ms (min {:.1} ms, max {:.1} ms, {RUNS} runs)",
        ms(times[RUNS / 2]),
        ms(times[0]),
        ms(times[RUNS - 1])
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn time_check(binary: &str, root: &Path) -> Duration {
    let start = Instant::now();
    let output = Command::new(binary)
        .args(["check", "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("run rasci");
    let elapsed = start.elapsed();
    assert!(
        output.status.success(),
        "the generated project must check cleanly:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
    elapsed
}
