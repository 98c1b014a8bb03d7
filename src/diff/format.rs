//! The three renderings of a [`Diff`]: `human` for the terminal, `markdown` for a pull
//! request comment or a CI step summary, `json` (versioned, [`super::JSON_VERSION`]) for
//! tools.

use super::{AddedRemoved, Diff, MatrixDiff, PartyLetters};
use std::fmt::Write;

/// The output formats of `rasci diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Human,
    Markdown,
    Json,
}

pub fn render(format: DiffFormat, diff: &Diff) -> String {
    match format {
        DiffFormat::Human => human(diff),
        DiffFormat::Markdown => markdown(diff),
        DiffFormat::Json => {
            let mut text = serde_json::to_string_pretty(diff).unwrap_or_default();
            text.push('\n');
            text
        }
    }
}

fn letters_list(letters: &[PartyLetters]) -> String {
    if letters.is_empty() {
        return "no letters".to_owned();
    }
    letters
        .iter()
        .map(|l| format!("{} {}", l.party, l.letters))
        .collect::<Vec<_>>()
        .join("; ")
}

fn or_none(letters: &str) -> &str {
    if letters.is_empty() { "-" } else { letters }
}

fn human(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "rasci diff {} → {}", diff.old, diff.new);
    if !diff.changed {
        out.push_str("no changes in the matrices\n");
        return out;
    }
    let mut kinds = |what: &str, changes: &AddedRemoved| {
        for named in &changes.added {
            let _ = writeln!(out, "+ {what} `{}` ({})", named.id, named.name);
        }
        for named in &changes.removed {
            let _ = writeln!(out, "- {what} `{}` ({})", named.id, named.name);
        }
    };
    kinds("party", &diff.parties);
    kinds("scope", &diff.scopes);
    for matrix in &diff.matrices {
        let model = matrix
            .model
            .as_ref()
            .map_or_else(String::new, |m| format!("model `{m}`, "));
        let _ = writeln!(out, "{model}scope `{}` ({}):", matrix.scope, matrix.name);
        for task in &matrix.tasks_added {
            let _ = writeln!(
                out,
                "  + task `{}` \"{}\" in section `{}`: {}",
                task.task,
                task.title,
                task.section,
                letters_list(&task.letters)
            );
        }
        for task in &matrix.tasks_removed {
            let _ = writeln!(
                out,
                "  - task `{}` \"{}\" from section `{}`",
                task.task, task.title, task.section
            );
        }
        for moved in &matrix.tasks_moved {
            let _ = writeln!(
                out,
                "  ~ task `{}` moved from section `{}` to `{}`",
                moved.task, moved.from, moved.to
            );
        }
        for retitled in &matrix.tasks_retitled {
            let _ = writeln!(
                out,
                "  ~ task `{}` retitled \"{}\" → \"{}\"",
                retitled.task, retitled.old, retitled.new
            );
        }
        for change in &matrix.letters {
            let _ = writeln!(
                out,
                "  ~ task `{}`, party `{}`: {} → {}{}",
                change.task,
                change.party,
                or_none(&change.old),
                or_none(&change.new),
                gained_lost(&change.gained, &change.lost)
            );
        }
    }
    if !diff.overrides.is_empty() {
        out.push_str("overrides:\n");
        for o in &diff.overrides {
            let model = o
                .model
                .as_ref()
                .map_or_else(String::new, |m| format!("model `{m}`, "));
            let _ = writeln!(
                out,
                "  ~ task `{}` in {model}scope `{}`, party `{}`: {} → {}",
                o.task,
                o.scope,
                o.party,
                o.old.as_deref().map_or("no override", or_none),
                o.new.as_deref().map_or("no override", or_none)
            );
        }
    }
    human_controls(&mut out, diff);
    out
}

/// The control references added and removed, task by task.
fn human_controls(out: &mut String, diff: &Diff) {
    if diff.controls.is_empty() {
        return;
    }
    out.push_str("control references:\n");
    for change in &diff.controls {
        let model = change
            .model
            .as_ref()
            .map_or_else(String::new, |m| format!(" in model `{m}`"));
        for reference in &change.added {
            let _ = writeln!(out, "  + task `{}`{model}: {reference}", change.task);
        }
        for reference in &change.removed {
            let _ = writeln!(out, "  - task `{}`{model}: {reference}", change.task);
        }
    }
}

/// The control references added and removed, as a table.
fn markdown_controls(out: &mut String, diff: &Diff) {
    if diff.controls.is_empty() {
        return;
    }
    out.push_str("#### Control references\n\n| Task | Added | Removed |\n|---|---|---|\n");
    for change in &diff.controls {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            cell(&match &change.model {
                Some(model) => format!("{} ({model})", change.task),
                None => change.task.clone(),
            }),
            cell(&change.added.join(", ")),
            cell(&change.removed.join(", "))
        );
    }
    out.push('\n');
}

fn gained_lost(gained: &str, lost: &str) -> String {
    let mut parts = Vec::new();
    if !gained.is_empty() {
        parts.push(format!("gained {gained}"));
    }
    if !lost.is_empty() {
        parts.push(format!("lost {lost}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// Text from the project put in a Markdown table cell: shown as written, never as markup
/// (a title holding `|` or `<b>` must not break the table or the page it lands in).
///
/// The report is made to be posted on a pull request, where `@name` would notify people
/// and `#123` link an issue, from any name in the data. A word joiner (U+2060, invisible)
/// after each `@` and `#` keeps the text as it reads while the forge sees no mention and
/// no reference; a backslash would not stop either.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => out.push_str("@\u{2060}"),
            '#' => out.push_str("\\#\u{2060}"),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn markdown(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### rasci diff: {} → {}\n",
        cell(&diff.old),
        cell(&diff.new)
    );
    if !diff.changed {
        out.push_str("No changes in the matrices.\n");
        return out;
    }
    let tasks: usize = diff
        .matrices
        .iter()
        .map(|m| m.tasks_added.len() + m.tasks_removed.len())
        .sum();
    let letters: usize = diff.matrices.iter().map(|m| m.letters.len()).sum();
    let _ = writeln!(
        out,
        "{} scope(s) changed; {tasks} task(s) added or removed; {letters} cell(s) with other letters; {} override(s) changed.\n",
        diff.matrices.len(),
        diff.overrides.len()
    );
    let mut kinds = |what: &str, changes: &AddedRemoved| {
        for named in &changes.added {
            let _ = writeln!(
                out,
                "- {what} added: {} ({})",
                cell(&named.id),
                cell(&named.name)
            );
        }
        for named in &changes.removed {
            let _ = writeln!(
                out,
                "- {what} removed: {} ({})",
                cell(&named.id),
                cell(&named.name)
            );
        }
    };
    kinds("Party", &diff.parties);
    kinds("Scope", &diff.scopes);
    if !diff.parties.is_empty() || !diff.scopes.is_empty() {
        out.push('\n');
    }
    for matrix in &diff.matrices {
        matrix_table(&mut out, matrix);
    }
    if !diff.overrides.is_empty() {
        out.push_str(
            "#### Overrides\n\n| Task | Scope | Party | Before | After |\n|---|---|---|---|---|\n",
        );
        for o in &diff.overrides {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(&match &o.model {
                    Some(model) => format!("{} ({model})", o.task),
                    None => o.task.clone(),
                }),
                cell(&o.scope),
                cell(&o.party),
                o.old.as_deref().map(cell).unwrap_or_else(|| "—".to_owned()),
                o.new.as_deref().map(cell).unwrap_or_else(|| "—".to_owned())
            );
        }
        out.push('\n');
    }
    markdown_controls(&mut out, diff);
    out
}

/// One table per changed scope: a row per change, the task first, so a reviewer reads
/// down the tasks.
fn matrix_table(out: &mut String, matrix: &MatrixDiff) {
    let model = matrix
        .model
        .as_ref()
        .map_or_else(String::new, |m| format!("Model {}, scope", cell(m)));
    let _ = writeln!(
        out,
        "#### {} {} ({})\n\n| Change | Task | Party / section | Before | After |\n|---|---|---|---|---|",
        if model.is_empty() { "Scope" } else { &model },
        cell(&matrix.scope),
        cell(&matrix.name)
    );
    let dash = || "—".to_owned();
    let letters = |list: &[PartyLetters]| {
        cell(
            &list
                .iter()
                .map(|l| format!("{}: {}", l.party, l.letters))
                .collect::<Vec<_>>()
                .join("; "),
        )
    };
    for t in &matrix.tasks_added {
        let _ = writeln!(
            out,
            "| added | {} ({}) | {} | {} | {} |",
            cell(&t.task),
            cell(&t.title),
            cell(&t.section),
            dash(),
            letters(&t.letters)
        );
    }
    for t in &matrix.tasks_removed {
        let _ = writeln!(
            out,
            "| removed | {} ({}) | {} | {} | {} |",
            cell(&t.task),
            cell(&t.title),
            cell(&t.section),
            letters(&t.letters),
            dash()
        );
    }
    for m in &matrix.tasks_moved {
        let _ = writeln!(
            out,
            "| moved | {} ({}) | section | {} | {} |",
            cell(&m.task),
            cell(&m.title),
            cell(&m.from),
            cell(&m.to)
        );
    }
    for r in &matrix.tasks_retitled {
        let _ = writeln!(
            out,
            "| retitled | {} | title | {} | {} |",
            cell(&r.task),
            cell(&r.old),
            cell(&r.new)
        );
    }
    for l in &matrix.letters {
        let blank = |s: &str| if s.is_empty() { dash() } else { cell(s) };
        let _ = writeln!(
            out,
            "| letters | {} | {} | {} | {} |",
            cell(&l.task),
            cell(&l.party),
            blank(&l.old),
            blank(&l.new)
        );
    }
    out.push('\n');
}
