//! The YAML import writes: one line per field, strings quoted as JSON (a subset of YAML, so
//! no title can turn into markup or another type), every task under a comment naming its
//! source row. The same matrix always gives the same bytes.

use super::ImportError;
use super::normalise::Matrix;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A string as a double-quoted YAML scalar.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

pub fn parties_yaml(matrix: &Matrix) -> String {
    let mut out = format!(
        "# Parties imported from {} (the header row).\nparties:\n",
        quoted(&matrix.source)
    );
    for party in &matrix.parties {
        let _ = writeln!(
            out,
            "  - id: {}\n    name: {}",
            party.id,
            quoted(&party.name)
        );
    }
    out
}

pub fn scopes_yaml(matrix: &Matrix) -> String {
    let sections: Vec<&str> = matrix.sections.iter().map(|s| s.id.as_str()).collect();
    format!(
        "# The scope imported from {}.\nscopes:\n  - id: {}\n    name: {}\n    sections: [{}]\n",
        quoted(&matrix.source),
        matrix.scope_id,
        quoted(&matrix.scope_name),
        sections.join(", ")
    )
}

pub fn tasks_yaml(matrix: &Matrix) -> String {
    let mut out = format!(
        "# Sections and tasks imported from {}.\nsections:\n",
        quoted(&matrix.source)
    );
    for (i, section) in matrix.sections.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if let Some(row) = &section.row {
            let _ = writeln!(out, "  # {row}");
        }
        let _ = writeln!(out, "  - id: {}", section.id);
        if let Some(title) = &section.title {
            let _ = writeln!(out, "    title: {}", quoted(title));
        }
        out.push_str("    tasks:\n");
        for task in &section.tasks {
            let cells: Vec<String> = task
                .letters
                .iter()
                .map(|(party, set)| format!("{}: \"{set}\"", matrix.parties[*party].id))
                .collect();
            let _ = writeln!(
                out,
                "      # {}\n      - id: {}\n        title: {}\n        rasci: {{ {} }}",
                task.row,
                task.id,
                quoted(&task.title),
                cells.join(", ")
            );
        }
    }
    out
}

fn rasci_yaml(matrix: &Matrix) -> String {
    format!(
        "# A project made by `rasci import` from {}.\ntitle: {}\n",
        quoted(&matrix.source),
        quoted(&matrix.scope_name)
    )
}

/// Writes the data files into `root`, and `rasci.yaml` when `root` is not a project yet.
/// Nothing is written unless every file may be: an existing data file needs `force`, and
/// a kind already split into a folder (`data/tasks/`) is refused, since which of its files
/// to replace would be a guess.
pub fn write_project(
    root: &Path,
    matrix: &Matrix,
    force: bool,
) -> Result<Vec<PathBuf>, ImportError> {
    let mut files: Vec<(PathBuf, String)> = vec![
        (root.join("data/parties.yaml"), parties_yaml(matrix)),
        (root.join("data/scopes.yaml"), scopes_yaml(matrix)),
        (root.join("data/tasks.yaml"), tasks_yaml(matrix)),
    ];
    for kind in ["parties", "scopes", "tasks"] {
        let folder = root.join("data").join(kind);
        if folder.exists() {
            return Err(ImportError(format!(
                "{} exists: this project keeps its {kind} in several files, and import does not guess which to change; import into a new folder with --root",
                folder.display()
            )));
        }
    }
    let existing: Vec<String> = files
        .iter()
        .filter(|(path, _)| path.exists())
        .map(|(path, _)| path.display().to_string())
        .collect();
    if !existing.is_empty() && !force {
        return Err(ImportError(format!(
            "not overwriting {}: pass --force to replace {}, or import into a new folder with --root",
            existing.join(", "),
            if existing.len() == 1 { "it" } else { "them" }
        )));
    }
    let config = root.join("rasci.yaml");
    if !config.exists() {
        files.insert(0, (config, rasci_yaml(matrix)));
    }
    let data = root.join("data");
    std::fs::create_dir_all(&data)
        .map_err(|e| ImportError(format!("cannot create {}: {e}", data.display())))?;
    let mut written = Vec::new();
    for (path, text) in files {
        std::fs::write(&path, text)
            .map_err(|e| ImportError(format!("cannot write {}: {e}", path.display())))?;
        written.push(path);
    }
    Ok(written)
}
