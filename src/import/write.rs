//! The YAML import writes: one line per field, every string from the source (titles,
//! names, ids, party keys) a double-quoted scalar with escapes (so `Null` stays a string and
//! a newline in a title stays in the title), every task under a comment naming its source
//! row, escaped so that it stays one comment line. The same matrix always gives the same
//! bytes.

use super::normalise::Matrix;
use super::table::ImportError;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A string as a double-quoted YAML scalar. Every character YAML does not print as itself
/// is escaped: the C0 and C1 controls and DEL, the characters YAML may read as line breaks
/// (NEL, LS, PS), the byte-order mark and the marks that reorder text; so a title stays one
/// line and reads back as the same string, whatever it holds.
pub(crate) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{1b}' => out.push_str("\\e"),
            c if escaped_in_yaml(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether [`quoted`] writes `c` as an escape (all such characters are in the Basic
/// Multilingual Plane, so `\uXXXX` holds each).
fn escaped_in_yaml(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// A `# comment` line's text: a source position, escaped so that no character of a sheet
/// or file name can end the comment and start YAML.
fn comment(text: &str) -> String {
    crate::escape::shown(text)
}

pub(crate) fn parties_yaml(matrix: &Matrix) -> String {
    let mut out = format!(
        "# Parties imported from {} (the header row).\nparties:\n",
        quoted(&matrix.source)
    );
    for party in matrix.parties.iter().filter(|p| !p.existing) {
        let _ = writeln!(
            out,
            "  - id: {}\n    name: {}",
            quoted(&party.id),
            quoted(&party.name)
        );
    }
    out
}

pub(crate) fn scopes_yaml(matrix: &Matrix) -> String {
    let sections: Vec<String> = matrix.sections.iter().map(|s| quoted(&s.id)).collect();
    format!(
        "# The scope imported from {}.\nscopes:\n  - id: {}\n    name: {}\n    sections: [{}]\n",
        quoted(&matrix.source),
        quoted(&matrix.scope_id),
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
            let _ = writeln!(out, "  # {}", comment(row));
        }
        let _ = writeln!(out, "  - id: {}", quoted(&section.id));
        if let Some(title) = &section.title {
            let _ = writeln!(out, "    title: {}", quoted(title));
        }
        out.push_str("    tasks:\n");
        for task in &section.tasks {
            let cells: Vec<String> = task
                .letters
                .iter()
                .map(|(party, set)| {
                    let extras = task.cell_extras.iter().find(|(p, _)| p == party);
                    let letters = match extras {
                        None => format!("\"{set}\""),
                        Some((_, extras)) => {
                            let mut mapping = format!("{{ letters: \"{set}\"");
                            if !extras.when.is_empty() {
                                let _ = write!(mapping, ", when: {}", id_list(&extras.when));
                            }
                            if let Some(note) = &extras.note {
                                let _ = write!(mapping, ", note: {}", quoted(note));
                            }
                            mapping.push_str(" }");
                            mapping
                        }
                    };
                    format!("{}: {letters}", quoted(&matrix.parties[*party].id))
                })
                .collect();
            let _ = writeln!(
                out,
                "      # {}\n      - id: {}\n        title: {}",
                comment(&task.row),
                quoted(&task.id),
                quoted(&task.title),
            );
            if !task.when.is_empty() {
                let _ = writeln!(out, "        when: {}", id_list(&task.when));
            }
            if let Some(note) = &task.note {
                let _ = writeln!(out, "        note: {}", quoted(note));
            }
            let _ = writeln!(out, "        rasci: {{ {} }}", cells.join(", "));
        }
    }
    out
}

/// Condition ids as a YAML flow list of quoted strings: `["premium-plus"]`.
fn id_list(ids: &[String]) -> String {
    let ids: Vec<String> = ids.iter().map(|id| quoted(id)).collect();
    format!("[{}]", ids.join(", "))
}

/// The conditions the import names that the project does not define, each with its id
/// as its name until someone writes a better one; `None` when there are none.
pub(crate) fn conditions_yaml(matrix: &Matrix) -> Option<String> {
    if matrix.new_conditions.is_empty() {
        return None;
    }
    let mut out = format!(
        "# Conditions named in {}; give each a name that says what it means.\nconditions:\n",
        quoted(&matrix.source)
    );
    for id in &matrix.new_conditions {
        let _ = writeln!(out, "  - id: {}\n    name: {}", quoted(id), quoted(id));
    }
    Some(out)
}

/// Refuses a matrix whose files the loader would refuse for their size, before anything is
/// written: the YAML nodes (mappings, sequences, scalars) of `data/tasks.yaml` and
/// `data/parties.yaml` are counted as the loader counts them, and the error names the
/// source row where the count passes its budget.
pub(crate) fn check_size(matrix: &Matrix) -> Result<(), ImportError> {
    let budget = super::limits::loader_nodes();
    // The parties file: its mapping, `parties` and the sequence; then five per party.
    let party_nodes = 3 + 5 * matrix.parties.len();
    if party_nodes > budget {
        return Err(super::limits::too_much(
            &crate::escape::shown(&matrix.source),
            format!(
                "{} parties, more than one data file holds",
                matrix.parties.len()
            ),
        ));
    }
    let mut nodes = 3;
    for section in &matrix.sections {
        // Its mapping, `id` and its value, `tasks` and the sequence, the title if any.
        nodes += 5 + if section.title.is_some() { 2 } else { 0 };
        for task in &section.tasks {
            // Its mapping, `id`, `title` and `rasci` with their values, two per cell.
            nodes += 7 + 2 * task.letters.len();
            // `when` (key, sequence, ids) and `note` (key, value), on the task and in a
            // cell's mapping (with its `letters`).
            let extras = |when: &[String], note: bool| {
                (if when.is_empty() { 0 } else { 2 + when.len() }) + if note { 2 } else { 0 }
            };
            nodes += extras(&task.when, task.note.is_some());
            for (_, cell) in &task.cell_extras {
                nodes += 3 + extras(&cell.when, cell.note.is_some());
            }
            if nodes > budget {
                return Err(super::limits::too_much(
                    &crate::escape::shown(&task.row),
                    format!(
                        "more cells than the {budget} YAML nodes one data file holds (at this row)"
                    ),
                ));
            }
        }
    }
    Ok(())
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
pub(crate) fn write_project(
    root: &Path,
    matrix: &Matrix,
    force: bool,
) -> Result<Vec<PathBuf>, ImportError> {
    let mut plan = plan_in(root)?;
    plan.file_if_absent("rasci.yaml", rasci_yaml(matrix));
    plan.file("data/parties.yaml", parties_yaml(matrix));
    plan.file("data/scopes.yaml", scopes_yaml(matrix));
    plan.file("data/tasks.yaml", tasks_yaml(matrix));
    if let Some(conditions) = conditions_yaml(matrix) {
        plan.file("data/conditions.yaml", conditions);
    }
    write_files(plan, force)
}

/// Adds the import to a project that has data already, in files of its own:
/// `data/scopes/<scope>.yaml`, `data/tasks/<scope>.yaml`, and `data/parties/<scope>.yaml`
/// for parties the project did not have. Existing files are left alone; one of these
/// names taken already needs `force`.
pub(crate) fn add_to_project(
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
    if let Some(conditions) = conditions_yaml(matrix) {
        plan.file(Path::new("data/conditions").join(&name), conditions);
    }
    write_files(plan, force)
}

/// Refuses, before anything is read or written, a `root` that is the file-system root or
/// whose `rasci.yaml` or data files are links that dangle or lead out, or where `data` is
/// not a folder, and the same of the files an import of `scope` into a project would
/// write: deciding whether `root` is a project already must not read through them.
pub(crate) fn check_root(root: &Path, scope: &str) -> Result<(), ImportError> {
    let mut plan = plan_in(root)?;
    plan.file_if_absent("rasci.yaml", "");
    for kind in ["parties", "scopes", "tasks", "conditions"] {
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
