//! The matrices as GitHub-flavoured Markdown: one table per scope, under a heading with
//! the scope's name, for pasting into an issue, a pull request or a wiki.

use crate::model::Project;
use crate::resolve::Matrix;

/// One `## scope` heading (`## model · scope` with models) and table per matrix. Section titles are bold rows of their own,
/// the form Markdown matrices in the wild use.
pub(crate) fn to_markdown(project: &Project, matrices: &[&Matrix<'_>]) -> String {
    let mut out = String::new();
    for (i, matrix) in matrices.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let title = super::cells::matrix_title(project, matrix);
        out.push_str(&format!("## {}\n\n", inline(&title)));
        let mut header = vec![cell(&super::cells::task_heading(project, matrix))];
        header.extend(
            matrix
                .parties
                .iter()
                .map(|&p| cell(&project.parties[p].name.value)),
        );
        let controls = super::cells::has_controls_column(project);
        if controls {
            header.push(cell(super::cells::CONTROLS_HEADING));
        }
        push_row(&mut out, &header);
        let rule: Vec<String> = header.iter().map(|_| "---".to_string()).collect();
        push_row(&mut out, &rule);
        let empty = || String::new();
        for section in &matrix.sections {
            if let Some(title) = &section.section.title {
                let mut row = vec![format!("**{}**", cell(&title.value))];
                row.extend(matrix.parties.iter().map(|_| empty()));
                if controls {
                    row.push(empty());
                }
                push_row(&mut out, &row);
            }
            for task in &section.rows {
                let mut row = vec![cell(&task.task.title.value)];
                row.extend(
                    matrix
                        .parties
                        .iter()
                        .map(|&p| super::cells::cell_text(project, task, p)),
                );
                if controls {
                    row.push(cell(&super::cells::controls_text(task)));
                }
                push_row(&mut out, &row);
            }
        }
    }
    out
}

fn push_row(out: &mut String, cells: &[String]) {
    out.push('|');
    for text in cells {
        out.push(' ');
        out.push_str(text);
        out.push_str(" |");
    }
    out.push('\n');
}

/// Text as one table cell: a pipe would end the cell and a line break the row, so pipes
/// are escaped, line breaks become spaces, and Markdown's own markers are escaped so data
/// shows as written rather than as formatting or HTML.
pub(crate) fn cell(text: &str) -> String {
    inline(text).replace('|', "\\|")
}

/// Text on one line with Markdown and HTML markers escaped.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' | '\n' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '&' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_stay_one_cell_on_one_line() {
        assert_eq!(cell("a | b\nc"), "a \\| b c");
        assert_eq!(cell("<b>x</b> *y*"), "\\<b\\>x\\</b\\> \\*y\\*");
        assert_eq!(cell("Plain task"), "Plain task");
    }
}
