//! The generated project of 10,000 tasks × 30 parties × 10 scopes that the check and the
//! language server benchmarks time (included by both with `#[path]`).

use std::fmt::Write as _;
use std::path::Path;

pub const TASKS: usize = 10_000;
pub const PARTIES: usize = 30;
pub const SCOPES: usize = 10;
pub const SECTIONS: usize = 100;

/// Writes a project where every task has one Accountable and one or two Responsible
/// parties among 30, every scope shows every section, and one task in ten overrides its
/// letters in one scope.
pub fn generate(root: &Path) {
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
