//! The YAML import writes: one line per field, strings quoted as JSON (a subset of YAML, so
//! no title can turn into markup or another type), every task under a comment naming its
//! source row. The same matrix always gives the same bytes.

use super::ImportError;
use super::normalise::Matrix;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A string as a double-quoted YAML scalar. JSON escapes the C0 controls; the characters
/// YAML may read as line breaks (NEL, LS, PS) are escaped too, so a title stays one line.
fn quoted(text: &str) -> String {
    serde_json::to_string(text)
        .expect("a string serialises")
        .replace('\u{85}', "\\u0085")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

pub fn parties_yaml(matrix: &Matrix) -> String {
    let mut out = format!(
        "# Parties imported from {} (the header row).\nparties:\n",
        quoted(&matrix.source)
    );
    for party in matrix.parties.iter().filter(|p| !p.existing) {
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

/// Writes the data files into a folder with no parties, scopes or tasks yet, and
/// `rasci.yaml` when it is not a project yet (an existing one is kept). Nothing is written
/// unless every file may be.
pub fn write_project(
    root: &Path,
    matrix: &Matrix,
    force: bool,
) -> Result<Vec<PathBuf>, ImportError> {
    let mut plan = plan_in(root)?;
    plan.file_if_absent("rasci.yaml", rasci_yaml(matrix));
    plan.file("data/parties.yaml", parties_yaml(matrix));
    plan.file("data/scopes.yaml", scopes_yaml(matrix));
    plan.file("data/tasks.yaml", tasks_yaml(matrix));
    write_files(plan, force)
}

/// Adds the import to a project that has data already, in files of its own:
/// `data/scopes/<scope>.yaml`, `data/tasks/<scope>.yaml`, and `data/parties/<scope>.yaml`
/// for parties the project did not have. Existing files are left alone; one of these
/// names taken already needs `force`.
pub fn add_to_project(
    root: &Path,
    matrix: &Matrix,
    force: bool,
) -> Result<Vec<PathBuf>, ImportError> {
    let name = format!("{}.yaml", matrix.scope_id);
    let mut plan = plan_in(root)?;
    if matrix.parties.iter().any(|p| !p.existing) {
        plan.file(Path::new("data/parties").join(&name), parties_yaml(matrix));
    }
    plan.file(Path::new("data/scopes").join(&name), scopes_yaml(matrix));
    plan.file(Path::new("data/tasks").join(&name), tasks_yaml(matrix));
    write_files(plan, force)
}

/// Refuses, before anything is read or written, a `root` that is the file-system root or
/// whose `rasci.yaml` or data files are links that dangle or lead out, or where `data` is
/// not a folder, and the same of the files an import of `scope` into a project would
/// write: deciding whether `root` is a project already must not read through them.
pub fn check_root(root: &Path, scope: &str) -> Result<(), ImportError> {
    let mut plan = plan_in(root)?;
    plan.file_if_absent("rasci.yaml", "");
    for kind in ["parties", "scopes", "tasks"] {
        plan.file_if_absent(format!("data/{kind}.yaml"), "");
        plan.file_if_absent(format!("data/{kind}/{scope}.yaml"), "");
    }
    plan.check().map_err(|e| ImportError(e.to_string()))?;
    Ok(())
}

/// The files of an import, planned under [`crate::guard`]'s rule inside `root`.
fn plan_in(root: &Path) -> Result<crate::guard::Plan, ImportError> {
    crate::guard::Plan::new(root).map_err(|e| ImportError(e.to_string()))
}

/// Checks every planned file (links, folders, files that exist) and only then writes them
/// all: a refusal leaves the folder as it was.
fn write_files(plan: crate::guard::Plan, force: bool) -> Result<Vec<PathBuf>, ImportError> {
    let existing = plan.check().map_err(|e| ImportError(e.to_string()))?;
    if !existing.is_empty() && !force {
        let names: Vec<String> = existing.iter().map(|p| p.display().to_string()).collect();
        return Err(ImportError(format!(
            "not overwriting {}: pass --force to replace {}, or import into a new folder with --root",
            names.join(", "),
            if names.len() == 1 { "it" } else { "them" }
        )));
    }
    plan.write(force).map_err(|e| ImportError(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn quoted_strings_stay_one_line_and_read_back() {
        for text in [
            "plain",
            "a \"quote\" and \\",
            "line\u{2028}sep\u{85}nel",
            "tab\there",
            "{{ x }}: y",
        ] {
            let yaml = quoted(text);
            assert!(!yaml.contains(['\n', '\u{2028}', '\u{85}']), "{yaml}");
            let back: String = serde_saphyr::from_str(&yaml).unwrap();
            assert_eq!(back, text);
        }
    }
}
