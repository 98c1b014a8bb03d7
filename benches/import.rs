//! Benchmark: `rasci import` on inputs that were quadratic once, at three sizes each
//! doubling the last, so that linear time shows as times that roughly double. Run with
//! `cargo bench --bench import`.
//!
//! - rows of one title (ids `review`, `review-2`, …): reading and normalising a table of
//!   10,000, 20,000 and 40,000 rows in the library (40,000 is past the row limit of the
//!   command, so the readers are timed on their own), then the whole command, check
//!   included, on 5,000, 10,000 and 20,000 rows;
//! - Markdown files of 4,000, 8,000 and 16,000 small tables, the last one chosen;
//! - an ODS workbook whose one row is repeated 5,000, 10,000 and 20,000 times.
//!
//! Each figure is the median of several runs; nothing is asserted.

use rasci::import::table::{SourceCell, SourceRow, Table};
use rasci::import::{markdown, normalise, sheet, write};
use std::io::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let binary = env!("CARGO_BIN_EXE_rasci");

    series(
        "normalise and write, rows of one title",
        &[10_000, 20_000, 40_000],
        |n| {
            let table = one_title(n);
            time(|| {
                let matrix = normalise::normalise(&table, "m", "m.csv", &Default::default());
                std::hint::black_box(write::tasks_yaml(&matrix));
            })
        },
    );
    series(
        "read CSV, rows of one title",
        &[5_000, 10_000, 20_000],
        |n| {
            let text = csv_of_one_title(n);
            time(|| {
                std::hint::black_box(sheet::read_csv("m.csv", &text).expect("read"));
            })
        },
    );
    series(
        "`rasci import`, rows of one title",
        &[5_000, 10_000, 20_000],
        |n| {
            let file = dir.path().join(format!("rows-{n}.csv"));
            std::fs::write(&file, csv_of_one_title(n)).expect("write");
            time_command(binary, &file, &dir.path().join(format!("rows-{n}")))
        },
    );
    series(
        "read Markdown, small tables",
        &[4_000, 8_000, 16_000],
        |n| {
            let text = "| Task | Ops |\n|---|---|\n| Run | A/R |\n\n".repeat(n);
            time(|| {
                std::hint::black_box(markdown::read("m.md", &text, Some(n)).expect("read"));
            })
        },
    );
    series(
        "read ODS, one row repeated",
        &[5_000, 10_000, 20_000],
        |n| {
            let bytes = ods_repeated(n);
            time(|| {
                std::hint::black_box(sheet::read_ods("m.ods", &bytes, None).expect("read"));
            })
        },
    );
}

/// Prints one line per size and how much longer each took than the one before.
fn series(name: &str, sizes: &[usize], mut run: impl FnMut(usize) -> Duration) {
    let mut previous: Option<Duration> = None;
    for &n in sizes {
        let took = run(n);
        let ratio = previous.map_or(String::new(), |p| {
            format!(" ({:.2}× the last)", took.as_secs_f64() / p.as_secs_f64())
        });
        println!(
            "{name}, {n}: median {:.1} ms{ratio}",
            took.as_secs_f64() * 1000.0
        );
        previous = Some(took);
    }
}

/// The median of several runs of `f`.
fn time(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn time_command(binary: &str, file: &Path, root: &Path) -> Duration {
    time(|| {
        let _ = std::fs::remove_dir_all(root);
        let output = Command::new(binary)
            .arg("import")
            .arg(file)
            .arg("--root")
            .arg(root)
            .output()
            .expect("rasci runs");
        assert!(
            output.status.code() == Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    })
}

fn one_title(n: usize) -> Table {
    let cell = |text: &str, at: String| SourceCell {
        text: text.to_string(),
        at,
    };
    let mut rows = vec![SourceRow {
        at: "m.csv line 1".into(),
        cells: vec![
            cell("Task", "m.csv:1:1".into()),
            cell("Ops", "m.csv:1:2".into()),
        ],
    }];
    for i in 2..n + 2 {
        rows.push(SourceRow {
            at: format!("m.csv line {i}"),
            cells: vec![
                cell("Review", format!("m.csv:{i}:1")),
                cell("A/R", format!("m.csv:{i}:2")),
            ],
        });
    }
    Table {
        rows,
        footnotes: Vec::new(),
        braced_titles: false,
    }
}

fn csv_of_one_title(n: usize) -> String {
    let mut text = String::from("Task,Ops\n");
    for _ in 0..n {
        text.push_str("Review,A/R\n");
    }
    text
}

fn ods_repeated(n: usize) -> Vec<u8> {
    let cell = |t: &str| {
        format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{t}</text:p></table:table-cell>"
        )
    };
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
<office:body><office:spreadsheet><table:table table:name=\"S\">\
<table:table-row>{}{}</table:table-row>\
<table:table-row table:number-rows-repeated=\"{n}\">{}{}</table:table-row>\
</table:table></office:spreadsheet></office:body></office:document-content>",
        cell("Task"),
        cell("Ops"),
        cell("Review"),
        cell("A/R")
    );
    let mut bytes = std::io::Cursor::new(Vec::new());
    let mut archive = zip::ZipWriter::new(&mut bytes);
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    archive.start_file("mimetype", options).expect("zip");
    archive
        .write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .expect("zip");
    archive.start_file("content.xml", options).expect("zip");
    archive.write_all(content.as_bytes()).expect("zip");
    archive.finish().expect("zip");
    bytes.into_inner()
}
