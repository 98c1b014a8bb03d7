//! From a neutral table to a matrix: the header row gives the parties, the first column the
//! tasks (after a leading `Section` column, as the CSV export writes one), and rows that
//! carry only a label give the sections. Every decision that changed what was written is
//! noted, and every cell that could not be read is noted with its position and left out.

use super::table::{SourceCell, Table};
use super::text::{self, Reading};
use crate::load::ids;
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

/// A party from a header cell: its name as written (formatting stripped), its id slugged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    pub id: String,
    pub name: String,
    /// A party the project defines already: its id is reused and it is not written again.
    pub(crate) existing: bool,
}

/// The ids a project defines already, which new sections and tasks must not take.
#[derive(Clone, Debug, Default)]
pub struct Taken {
    pub parties: BTreeSet<String>,
    /// The conditions the project defines: a `When` naming another is written as new.
    pub(crate) conditions: BTreeSet<String>,
    pub(crate) sections: BTreeSet<String>,
    pub(crate) tasks: BTreeSet<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Task {
    pub id: String,
    pub title: String,
    /// Where the task's row is in the source, for the comment above it.
    pub(crate) row: String,
    /// One entry per party that has letters, in party order: (party index, letters in the
    /// order the cell writes them).
    pub(crate) letters: Vec<(usize, text::Written)>,
    /// The conditions of the task: the `When` column, or braces after a Markdown title
    /// (never a spreadsheet's: see [`Table::braced_titles`]).
    pub(crate) when: Vec<String>,
    /// The task's note: the `Notes` column, or a Markdown title's footnote.
    pub(crate) note: Option<String>,
    /// Beside `letters`, by party index: the conditions and the note of the cell, for
    /// the cells that have either.
    pub(crate) cell_extras: Vec<(usize, Extras)>,
}

/// What a cell or a title carries beside its text: conditions and a note.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Extras {
    pub(crate) when: Vec<String>,
    pub(crate) note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Section {
    pub(crate) id: String,
    /// `None` for the tasks before the first section row.
    pub(crate) title: Option<String>,
    pub(crate) row: Option<String>,
    pub tasks: Vec<Task>,
}

/// A note of the report: where, and what was done there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Note {
    pub(crate) at: String,
    pub(crate) message: String,
}

/// The imported matrix and what reading it took.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matrix {
    pub scope_id: String,
    pub(crate) scope_name: String,
    /// The file it came from, for the comments of the written files.
    pub(crate) source: String,
    pub parties: Vec<Party>,
    pub(crate) sections: Vec<Section>,
    /// Cells whose form changed (`A/R` → `R, A`), titles whose formatting was stripped.
    pub(crate) changed: Vec<Note>,
    /// Cells and columns left out because they could not be read.
    pub(crate) unreadable: Vec<Note>,
    /// Condition ids the tasks and cells name that the project does not define yet, in
    /// order of first use: written as new conditions.
    pub(crate) new_conditions: Vec<String>,
}

impl Matrix {
    pub fn task_count(&self) -> usize {
        self.sections.iter().map(|s| s.tasks.len()).sum()
    }
    pub(crate) fn cell_count(&self) -> usize {
        self.sections
            .iter()
            .flat_map(|s| &s.tasks)
            .map(|t| t.letters.len())
            .sum()
    }
}

/// The longest id made from a title; longer slugs are cut at a hyphen, so ids stay short
/// enough to read in a URL.
const SLUG_LEN: usize = 40;

/// The ids taken so far of one kind, and for each base the next number to try: equal
/// titles (`Review`, `Review`, …) get `review`, `review-2`, `review-3` without trying every
/// number again, so a table of one title on every row is read in linear time.
#[derive(Debug, Default)]
struct Ids {
    taken: BTreeSet<String>,
    next: HashMap<String, usize>,
}

impl Ids {
    fn new(taken: &BTreeSet<String>) -> Self {
        Ids {
            taken: taken.clone(),
            next: HashMap::new(),
        }
    }

    /// A valid id made from `text`, distinct from every id taken (which it joins).
    fn unique(&mut self, text: &str, fallback: &str) -> String {
        let mut base = ids::suggest(text);
        if base.chars().count() > SLUG_LEN {
            let cut: String = base.chars().take(SLUG_LEN).collect();
            base = match cut.rfind('-') {
                Some(i) if i > 0 => cut[..i].to_string(),
                _ => cut,
            };
        }
        if base.is_empty() || ids::problem(&base).is_some() {
            base = fallback.to_string();
        }
        let mut n = self.next.get(&base).copied().unwrap_or(1);
        let id = loop {
            let id = if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            n += 1;
            if !self.taken.contains(&id) && ids::problem(&id).is_none() {
                break id;
            }
        };
        self.next.insert(base, n);
        self.taken.insert(id.clone());
        id
    }
}

fn is_empty(cell: Option<&SourceCell>) -> bool {
    cell.is_none_or(|c| text::plain(&c.text).is_empty())
}

fn is_none_mark(cell: &SourceCell) -> bool {
    text::letters(&cell.text) == Reading::None
}

/// Reads the table. `scope_id` is already a valid id.
pub fn normalise(table: &Table, scope_id: &str, source: &str, taken: &Taken) -> Matrix {
    let mut matrix = Matrix {
        scope_id: scope_id.to_string(),
        scope_name: source
            .rsplit_once('.')
            .map_or(source, |(stem, _)| stem)
            .to_string(),
        source: source.to_string(),
        parties: Vec::new(),
        sections: Vec::new(),
        changed: Vec::new(),
        unreadable: Vec::new(),
        new_conditions: Vec::new(),
    };
    // The header is the first row that can be one: a task column and at least one party.
    // Rows above it (a sheet's title, a note) are said in the report, not read.
    let filled = |row: &super::table::SourceRow| {
        row.cells
            .iter()
            .filter(|c| !text::plain(&c.text).is_empty())
            .count()
    };
    let mut rows = table.rows.iter();
    let header = loop {
        let Some(row) = rows.next() else {
            return matrix;
        };
        match filled(row) {
            0 => {}
            1 => matrix.changed.push(Note {
                at: row.at.clone(),
                message: "a row above the header, with one cell only; left out".into(),
            }),
            _ => break row,
        }
    };
    let header_text = |i: usize| header.cells.get(i).map(|c| text::plain(&c.text));
    // A `Section` column before the task column, as `rasci export --format csv` writes.
    let section_column =
        header.cells.len() > 2 && header_text(0).is_some_and(|t| t.eq_ignore_ascii_case("section"));
    let task_column = usize::from(section_column);

    // Parties: one per header cell after the task column, `None` for a column left out.
    let mut party_of_column: Vec<Option<usize>> = Vec::new();
    let mut party_ids = Ids::new(&taken.parties);
    // `When` and `Notes`, as the CSV and XLSX exports write them, are not parties.
    let mut when_column = None;
    let mut notes_column = None;
    for (i, cell) in header.cells.iter().enumerate().skip(task_column + 1) {
        let name = text::plain(&cell.text);
        if name.eq_ignore_ascii_case("when") && when_column.is_none() {
            when_column = Some(i);
            party_of_column.push(None);
            continue;
        }
        if name.eq_ignore_ascii_case("notes") && notes_column.is_none() {
            notes_column = Some(i);
            party_of_column.push(None);
            continue;
        }
        if name.is_empty() {
            // A column with no party name is read only if it is empty throughout.
            party_of_column.push(None);
            continue;
        }
        if name != cell.text.trim() {
            matrix.changed.push(Note {
                at: cell.at.clone(),
                message: format!("party name {:?} read as {name:?}", cell.text.trim()),
            });
        }
        let id = party_ids.unique(&name, "party");
        party_of_column.push(Some(matrix.parties.len()));
        matrix.parties.push(Party {
            id,
            name,
            existing: false,
        });
    }

    // Footnotes by label, looked up once per cell.
    let footnotes: HashMap<&str, &str> = table
        .footnotes
        .iter()
        .map(|(label, text)| (label.as_str(), text.as_str()))
        .collect();
    let mut section_ids = Ids::new(&taken.sections);
    let mut task_ids = Ids::new(&taken.tasks);
    let mut current_section_label: Option<String> = None;
    for row in rows {
        let label_cell = row.cells.get(task_column);
        let (label_raw, mut title_extras) = label_cell.map_or_else(
            || (String::new(), Extras::default()),
            |c| {
                let braces = table.braced_titles && when_column.is_none();
                annotations(&c.text, &footnotes, false, braces)
            },
        );
        let label = text::plain(&label_raw);
        let letter_cells: Vec<(usize, &SourceCell)> = row
            .cells
            .iter()
            .enumerate()
            .skip(task_column + 1)
            .filter(|(i, _)| Some(*i) != when_column && Some(*i) != notes_column)
            .map(|(i, c)| (i - task_column - 1, c))
            .collect();
        let others_empty = letter_cells.iter().all(|(_, c)| is_empty(Some(c)));
        let others_none = letter_cells.iter().all(|(_, c)| is_none_mark(c));

        if section_column {
            let section_label = row.cells.first().map(|c| text::plain(&c.text));
            let section_label = section_label.filter(|l| !l.is_empty());
            if matrix.sections.is_empty() || section_label != current_section_label {
                open_section(&mut matrix, section_label.clone(), None, &mut section_ids);
                current_section_label = section_label;
            }
        }

        if label.is_empty() {
            if !others_empty {
                matrix.unreadable.push(Note {
                    at: label_cell.map_or_else(|| row.at.clone(), |c| c.at.clone()),
                    message: "a row with letters but no task title; left out".into(),
                });
            }
            continue;
        }
        let bold = label_cell.is_some_and(|c| text::is_bold(&c.text));
        if !section_column && (others_empty || (bold && others_none)) {
            if let Some(cell) = label_cell
                && label != cell.text.trim()
            {
                matrix.changed.push(Note {
                    at: cell.at.clone(),
                    message: format!("section title {:?} read as {label:?}", cell.text.trim()),
                });
            }
            open_section(
                &mut matrix,
                Some(label),
                Some(row.at.clone()),
                &mut section_ids,
            );
            continue;
        }
        if let Some(cell) = label_cell
            && label != cell.text.trim()
        {
            let mut message = format!("title {:?} read as {label:?}", cell.text.trim());
            if !title_extras.when.is_empty() {
                let _ = write!(message, ", with conditions {:?}", title_extras.when);
            }
            matrix.changed.push(Note {
                at: cell.at.clone(),
                message,
            });
        }
        if let Some(cell) = when_column.and_then(|i| row.cells.get(i)) {
            title_extras.when.extend(
                text::plain(&cell.text)
                    .split(',')
                    .map(str::trim)
                    .filter(|id| !id.is_empty())
                    .map(str::to_string),
            );
        }
        if let Some(cell) = notes_column.and_then(|i| row.cells.get(i)) {
            let note = cell.text.trim();
            if !note.is_empty() {
                title_extras.note = Some(note.to_string());
            }
        }
        let mut task = Task {
            id: task_ids.unique(&label, "task"),
            title: label,
            row: row.at.clone(),
            letters: Vec::new(),
            when: Vec::new(),
            note: title_extras.note,
            cell_extras: Vec::new(),
        };
        task.when = known_ids(&mut matrix, taken, title_extras.when, label_cell);
        for (index, cell) in letter_cells {
            let party = party_of_column.get(index).copied().flatten();
            let (letters_raw, extras) = annotations(&cell.text, &footnotes, true, true);
            let reading = text::letters(&letters_raw);
            let Some(party) = party else {
                if reading != Reading::None {
                    matrix.unreadable.push(Note {
                        at: cell.at.clone(),
                        message: format!(
                            "{:?} stands in a column with no party name; left out",
                            cell.text.trim()
                        ),
                    });
                }
                continue;
            };
            match reading {
                Reading::None => {
                    let raw = cell.text.trim();
                    if !raw.is_empty() {
                        matrix.changed.push(Note {
                            at: cell.at.clone(),
                            message: format!("{raw:?} read as no role"),
                        });
                    }
                }
                Reading::Letters(set) => {
                    let raw = letters_raw.trim();
                    if !text::is_native_form(raw) {
                        matrix.changed.push(Note {
                            at: cell.at.clone(),
                            message: format!("{raw:?} read as \"{set}\""),
                        });
                    }
                    task.letters.push((party, set));
                    if extras != Extras::default() {
                        let when = known_ids(&mut matrix, taken, extras.when, Some(cell));
                        let note = extras.note;
                        task.cell_extras.push((party, Extras { when, note }));
                    }
                }
                Reading::Unreadable => matrix.unreadable.push(Note {
                    at: cell.at.clone(),
                    message: format!(
                        "{:?} is not a set of RASCI letters; left out",
                        cell.text.trim()
                    ),
                }),
            }
        }
        if matrix.sections.is_empty() {
            open_section(&mut matrix, None, None, &mut section_ids);
        }
        matrix
            .sections
            .last_mut()
            .expect("a section was opened")
            .tasks
            .push(task);
    }
    // A section row with no task below it is kept out of the data (a section with no task
    // says nothing), but said in the report.
    let (kept, empty): (Vec<Section>, Vec<Section>) =
        matrix.sections.drain(..).partition(|s| !s.tasks.is_empty());
    for section in empty {
        if let Some(row) = section.row {
            matrix.changed.push(Note {
                at: row,
                message: format!(
                    "section {:?} has no task; left out",
                    section.title.unwrap_or_default()
                ),
            });
        }
    }
    matrix.sections = kept;
    // Positions hold sheet and file names, notes hold cells: what is printed is escaped.
    for note in matrix
        .changed
        .iter_mut()
        .chain(matrix.unreadable.iter_mut())
    {
        note.at = crate::escape::shown(&note.at);
        note.message = crate::escape::shown(&note.message);
    }
    matrix
}

/// The text of a cell (`letters`) or a title without what the exports write after it,
/// and that: a footnote's reference (`[^2]`, a note from `footnotes`), a note in
/// parentheses (`A, R (when purchased)`, a cell's only: a title's parentheses are its
/// own) and condition ids in braces (`R {premium-plus}`, when `braces`: a title's only
/// when no `When` column gives its conditions). Each is taken only where what stays
/// before it is not empty; one pass from the end, linear in the text.
fn annotations(
    raw: &str,
    footnotes: &HashMap<&str, &str>,
    letters: bool,
    braces: bool,
) -> (String, Extras) {
    let mut extras = Extras::default();
    let mut rest = raw.trim();
    if let Some(open) = rest.rfind("[^")
        && rest.ends_with(']')
        && let Some(note) = footnotes.get(&rest[open + 2..rest.len() - 1])
        && !rest[..open].trim().is_empty()
    {
        extras.note = Some((*note).to_string());
        rest = rest[..open].trim_end();
    }
    if letters
        && extras.note.is_none()
        && rest.ends_with(')')
        && let Some(open) = matching_open(rest)
        && !rest[..open].trim().is_empty()
    {
        let note = rest[open + 1..rest.len() - 1].trim();
        if !note.is_empty() {
            extras.note = Some(note.to_string());
        }
        rest = rest[..open].trim_end();
    }
    if braces
        && rest.ends_with('}')
        && let Some(open) = rest.rfind('{')
        && !rest[..open].trim().is_empty()
    {
        let ids: Vec<String> = rest[open + 1..rest.len() - 1]
            .split(',')
            .map(|id| id.trim().to_string())
            .filter(|id| !id.is_empty())
            .collect();
        if !ids.is_empty() && ids.iter().all(|id| ids::problem(id).is_none()) {
            extras.when = ids;
            rest = rest[..open].trim_end();
        }
    }
    (rest.to_string(), extras)
}

/// Where the `(` that the final `)` of `text` closes stands, counting nested pairs.
fn matching_open(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in text.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}

/// The condition ids of `wanted` that are valid ids, each once; the others are noted as
/// left out. An id the project does not define joins `matrix.new_conditions`.
fn known_ids(
    matrix: &mut Matrix,
    taken: &Taken,
    wanted: Vec<String>,
    at: Option<&SourceCell>,
) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for id in wanted {
        if ids::problem(&id).is_some() {
            matrix.unreadable.push(Note {
                at: at.map_or_else(String::new, |c| c.at.clone()),
                message: format!("{id:?} is not a condition id; left out"),
            });
            continue;
        }
        if kept.contains(&id) {
            continue;
        }
        if !taken.conditions.contains(&id) && !matrix.new_conditions.contains(&id) {
            matrix.new_conditions.push(id.clone());
        }
        kept.push(id);
    }
    kept
}

/// Starts a section: the first, untitled one is `general`, others are slugged from their
/// titles.
fn open_section(matrix: &mut Matrix, title: Option<String>, row: Option<String>, ids: &mut Ids) {
    let id = match &title {
        Some(title) => ids.unique(title, "section"),
        None => ids.unique("general", "general"),
    };
    matrix.sections.push(Section {
        id,
        title,
        row,
        tasks: Vec::new(),
    });
}

#[cfg(test)]
mod tests {
    use super::{Extras, HashMap, annotations};

    fn extras(when: &[&str], note: Option<&str>) -> Extras {
        Extras {
            when: when.iter().map(|s| s.to_string()).collect(),
            note: note.map(str::to_string),
        }
    }

    #[test]
    fn a_cell_gives_its_note_and_conditions_and_a_title_keeps_its_parentheses() {
        let none = HashMap::new();
        assert_eq!(
            annotations("A, R (when purchased)", &none, true, true),
            ("A, R".to_string(), extras(&[], Some("when purchased")))
        );
        assert_eq!(
            annotations(
                "S {premium-plus, training} (on site (2 days))",
                &none,
                true,
                true
            ),
            (
                "S".to_string(),
                extras(&["premium-plus", "training"], Some("on site (2 days)"))
            )
        );
        // A title's parentheses are part of it; braces only where no column gives them.
        let title = "Root Cause Analyses (RCA) {beta}";
        assert_eq!(
            annotations(title, &none, false, false),
            (title.to_string(), Extras::default())
        );
        assert_eq!(
            annotations(title, &none, false, true).1,
            extras(&["beta"], None)
        );
        // Not ids, or nothing before them: left as written.
        assert_eq!(
            annotations("R {Not An Id}", &none, true, true).1,
            Extras::default()
        );
        assert_eq!(
            annotations("(only)", &none, true, true).1,
            Extras::default()
        );
        let footnotes = HashMap::from([("2", "when purchased")]);
        assert_eq!(
            annotations("C, I[^2]", &footnotes, true, true),
            ("C, I".to_string(), extras(&[], Some("when purchased")))
        );
        assert_eq!(
            annotations("C, I[^3]", &footnotes, true, true).1,
            Extras::default()
        );
    }
}
