//! Benchmark: `rasci check` on a generated project of 10,000 tasks × 30 parties × 10
//! scopes, and on the example project. Run with `cargo bench --bench check`.
//!
//! It times the release binary end to end (start-up, reading, parsing, checking,
//! reporting), as a CI job would run it, and prints the median and the spread of
//! several runs. `--keep DIR` writes the generated project there instead of a
//! temporary folder, to time it with other tools too.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const TASKS: usize = 10_000;
const PARTIES: usize = 30;
const SCOPES: usize = 10;
const SECTIONS: usize = 100;
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

/// Writes a project where every task has one Accountable and one or two Responsible
/// parties among 30, every scope shows every section, and one task in ten overrides its
/// letters in one scope.
fn generate(root: &Path) {
    std::fs::create_dir_all(root.join("data/tasks")).unwrap();
    std::fs::write(root.join("rasci.yaml"), "title: Generated\n").unwrap();

    let mut parties = String::from("parties:\n");
    for p in 0..PARTIES {
        writeln!(parties, "  - id: party-{p}\n    name: Party {p}").unwrap();
    }
    std::fs::write(root.join("data/parties.yaml"), parties).unwrap();

    let section_ids: Vec<String> = (0..SECTIONS).map(|s| format!("section-{s}")).collect();
    let mut scopes = String::from("scopes:\n");
    for s in 0..SCOPES {
        writeln!(
            scopes,
            "  - id: scope-{s}\n    name: Scope {s}\n    sections: [{}]",
            section_ids.join(", ")
        )
        .unwrap();
    }
    std::fs::write(root.join("data/scopes.yaml"), scopes).unwrap();

    // Ten files of ten sections, as a large project would split its tasks.
    let per_section = TASKS / SECTIONS;
    for file in 0..10 {
        let mut text = String::from("sections:\n");
        for section in file * 10..file * 10 + 10 {
            writeln!(
                text,
                "  - id: section-{section}\n    title: Section {section}\n    tasks:"
            )
            .unwrap();
            for t in 0..per_section {
                let n = section * per_section + t;
                let a = n % PARTIES;
                let r = (n + 7) % PARTIES;
                let s = (n + 13) % PARTIES;
                let c = (n + 19) % PARTIES;
                let i = (n + 23) % PARTIES;
                writeln!(
                    text,
                    "      - id: task-{n}\n        title: Task number {n} of the generated project\n        rasci: {{ party-{a}: \"A, R\", party-{r}: R, party-{s}: S, party-{c}: \"C, I\", party-{i}: I }}"
                )
                .unwrap();
                if n.is_multiple_of(10) {
                    writeln!(
                        text,
                        "        in: {{ scope-{}: {{ party-{s}: \"S, I\" }} }}",
                        n % SCOPES
                    )
                    .unwrap();
                }
            }
        }
        std::fs::write(root.join(format!("data/tasks/part-{file:02}.yaml")), text).unwrap();
    }
}
