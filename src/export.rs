//! Export: the resolved matrices as JSON (a public contract, see docs/commands.md), as CSV, as
//! an Excel workbook (`xlsx`), as Markdown tables (`markdown`) or as an OSCAL component
//! definition (`oscal`).

pub(crate) mod cells;
pub(crate) mod markdown;
pub(crate) mod oscal;
#[cfg(feature = "spreadsheets")]
pub(crate) mod xlsx;

pub(crate) use markdown::to_markdown;
pub(crate) use oscal::to_oscal;
#[cfg(feature = "spreadsheets")]
pub(crate) use xlsx::to_xlsx;

use crate::diagnostic::list_names;
use crate::model::Project;
use crate::resolve::Matrix;
use cells::{cell_text, task_heading};
use serde::Serialize;
use std::collections::BTreeMap;

/// Version of the JSON export's shape.
pub(crate) const VERSION: u32 = 1;

#[derive(Serialize)]
pub(crate) struct Export<'a> {
    pub(crate) version: u32,
    pub(crate) parties: Vec<ExportParty<'a>>,
    /// The operating models of the exported matrices; left out for a project without
    /// models, whose export keeps the shape it always had.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) models: Option<Vec<ExportModel<'a>>>,
    /// The conditions of `data/conditions.yaml`; left out for a project without them,
    /// whose export keeps the shape it always had.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) conditions: Option<Vec<ExportCondition<'a>>>,
    /// The frameworks of `data/frameworks.yaml`; left out for a project without them,
    /// whose export keeps the shape it always had.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) frameworks: Option<Vec<ExportFramework<'a>>>,
    pub(crate) scopes: Vec<ExportScope<'a>>,
}

/// A condition of a contract that tasks and cells apply under.
#[derive(Serialize)]
pub(crate) struct ExportCondition<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) description: Option<&'a str>,
}

/// A control framework, with the controls it lists (empty when it lists none).
#[derive(Serialize)]
pub(crate) struct ExportFramework<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) url: Option<&'a str>,
    pub(crate) controls: Vec<ExportControl<'a>>,
}

/// A control a framework lists.
#[derive(Serialize)]
pub(crate) struct ExportControl<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: Option<&'a str>,
}

/// The frameworks of the project for the JSON export; `None` without any.
fn frameworks(project: &Project) -> Option<Vec<ExportFramework<'_>>> {
    (!project.frameworks.is_empty()).then(|| {
        project
            .frameworks
            .iter()
            .map(|f| ExportFramework {
                id: &f.id.value,
                name: &f.name.value,
                url: f.url.as_ref().map(|u| u.value.as_str()),
                controls: f
                    .controls
                    .iter()
                    .map(|c| ExportControl {
                        id: &c.id.value,
                        title: c.title.as_ref().map(|t| t.value.as_str()),
                    })
                    .collect(),
            })
            .collect()
    })
}

/// An operating model: who takes part, over which scopes.
#[derive(Serialize)]
pub(crate) struct ExportModel<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) description: Option<&'a str>,
    /// Party ids in the model's column order.
    pub(crate) parties: Vec<&'a str>,
    /// Scope ids the model covers, in its order.
    pub(crate) scopes: Vec<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct ExportParty<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
}

/// One scope's matrix; with models, one per model and scope, naming the model.
#[derive(Serialize)]
pub(crate) struct ExportScope<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    /// The model id, when the project has models.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) model: Option<&'a str>,
    /// The model's party ids in column order, when the project has models.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) parties: Option<Vec<&'a str>>,
    pub(crate) sections: Vec<ExportSection<'a>>,
}

#[derive(Serialize)]
pub(crate) struct ExportSection<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: Option<&'a str>,
    pub(crate) tasks: Vec<ExportTask<'a>>,
}

#[derive(Serialize)]
pub(crate) struct ExportTask<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    /// Party id → letters in RASCI order; parties without letters are left out.
    pub(crate) assignments: BTreeMap<&'a str, Vec<&'static str>>,
    /// The condition ids under which the task applies (all must hold); left out when it
    /// always does.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) when: Vec<&'a str>,
    /// Party id → the condition ids under which its letters apply, for the parties whose
    /// cell is conditional; left out when none is.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) assignments_when: BTreeMap<&'a str, Vec<&'a str>>,
    /// The controls the task implements, as `framework:control`; left out when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) controls: Vec<&'a str>,
}

/// The export document for the given matrices (all of them, or those asked for). With
/// models, the models of the given matrices are listed, in project order.
pub(crate) fn document<'a>(project: &'a Project, matrices: &[&Matrix<'a>]) -> Export<'a> {
    let party_ids = |parties: &[usize]| -> Vec<&'a str> {
        parties
            .iter()
            .map(|&p| project.parties[p].id.as_str())
            .collect()
    };
    let models = project.has_models().then(|| {
        project
            .models()
            .filter(|(index, _)| matrices.iter().any(|m| m.model == *index))
            .filter_map(|(_, model)| {
                let def = model.def.as_ref()?;
                Some(ExportModel {
                    id: &def.id.value,
                    name: &def.name.value,
                    description: def.description.as_ref().map(|d| d.value.as_str()),
                    parties: party_ids(&model.parties),
                    scopes: model
                        .scopes
                        .iter()
                        .map(|&s| project.scope_at(s).id.as_str())
                        .collect(),
                })
            })
            .collect()
    });
    let ids = |when: &'a [crate::model::Located<String>]| -> Vec<&'a str> {
        when.iter().map(|id| id.as_str()).collect()
    };
    Export {
        version: VERSION,
        models,
        conditions: (!project.conditions.is_empty()).then(|| {
            project
                .conditions
                .iter()
                .map(|c| ExportCondition {
                    id: &c.id.value,
                    name: &c.name.value,
                    description: c.description.as_ref().map(|d| d.value.as_str()),
                })
                .collect()
        }),
        frameworks: frameworks(project),
        parties: project
            .parties
            .iter()
            .map(|p| ExportParty {
                id: &p.id.value,
                name: &p.name.value,
            })
            .collect(),
        scopes: matrices
            .iter()
            .map(|matrix| ExportScope {
                id: &matrix.scope.id.value,
                name: &matrix.scope.name.value,
                model: project.model_at(matrix.model).id(),
                parties: project.has_models().then(|| party_ids(&matrix.parties)),
                sections: matrix
                    .sections
                    .iter()
                    .map(|s| ExportSection {
                        id: &s.section.id.value,
                        title: s.section.title.as_ref().map(|t| t.value.as_str()),
                        tasks: s
                            .rows
                            .iter()
                            .map(|row| ExportTask {
                                id: &row.task.id.value,
                                title: &row.task.title.value,
                                assignments: project
                                    .parties
                                    .iter()
                                    .enumerate()
                                    .filter(|(i, _)| !row.letters(*i).is_empty())
                                    .map(|(i, p)| {
                                        let letters =
                                            row.letters(i).iter().map(|l| l.as_str()).collect();
                                        (p.id.value.as_str(), letters)
                                    })
                                    .collect(),
                                when: ids(&row.task.when),
                                assignments_when: project
                                    .parties
                                    .iter()
                                    .zip(&row.cells)
                                    .filter_map(|(p, cell)| {
                                        let cell = cell.filter(|c| !c.when.is_empty())?;
                                        Some((p.id.value.as_str(), ids(&cell.when)))
                                    })
                                    .collect(),
                                controls: ids(&row.task.controls),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

pub(crate) fn to_json(project: &Project, matrices: &[&Matrix<'_>]) -> String {
    let mut text = serde_json::to_string_pretty(&document(project, matrices))
        .expect("export values always serialize");
    text.push('\n');
    text
}

/// A CSV cell that a spreadsheet will show as text: a cell starting with `=`, `+`, `-`
/// or `@` (also after spaces, and their full-width forms), or with a tab or carriage
/// return, would be read as a formula, so it gets a leading `'`, as OWASP recommends.
pub(crate) fn csv_cell(text: &str) -> String {
    let formula = |c: char| matches!(c, '=' | '+' | '-' | '@' | '＝' | '＋' | '－' | '＠');
    let first = text.chars().next();
    let first_visible = text.trim_start_matches(' ').chars().next();
    if first.is_some_and(|c| matches!(c, '\t' | '\r' | '\n')) || first_visible.is_some_and(formula)
    {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The matrices an export asked for: those of model `model` (when given) and scope
/// `scope` (when given). An id that names nothing is an error in words, listing the ids
/// there are.
pub(crate) fn select<'m, 'p>(
    project: &Project,
    matrices: &'m [Matrix<'p>],
    model: Option<&str>,
    scope: Option<&str>,
) -> Result<Vec<&'m Matrix<'p>>, String> {
    let model_ids: Vec<&str> = project.models.iter().filter_map(|m| m.id()).collect();
    let model_index = match model {
        None => None,
        Some(id) if model_ids.is_empty() => {
            return Err(format!(
                "there is no model `{id}`: the project defines no models (data/models.yaml)"
            ));
        }
        Some(id) => match project.model(id) {
            Some((index, _)) => Some(index),
            None => {
                let hint = crate::diagnostic::did_you_mean(id, model_ids.iter().copied())
                    .map_or_else(String::new, |hint| format!(" ({hint})"));
                return Err(format!(
                    "there is no model `{id}`{hint}; models: {}",
                    list_names(&model_ids)
                ));
            }
        },
    };
    let of_model: Vec<&Matrix<'p>> = matrices
        .iter()
        .filter(|m| model_index.is_none_or(|index| m.model == index))
        .collect();
    let Some(scope) = scope else {
        return Ok(of_model);
    };
    let chosen: Vec<&Matrix<'p>> = of_model
        .iter()
        .copied()
        .filter(|m| m.scope.id.value == scope)
        .collect();
    if chosen.is_empty() {
        let mut known: Vec<&str> = of_model.iter().map(|m| m.scope.id.as_str()).collect();
        let mut seen = std::collections::HashSet::new();
        known.retain(|id| seen.insert(*id));
        return Err(match model {
            Some(model) if project.scope(scope).is_some() => format!(
                "model `{model}` does not cover scope `{scope}`; its scopes: {}",
                list_names(&known)
            ),
            _ => {
                let hint = crate::diagnostic::did_you_mean(scope, known.iter().copied())
                    .map_or_else(String::new, |hint| format!(" ({hint})"));
                format!(
                    "there is no scope `{scope}`{hint}; scopes: {}",
                    list_names(&known)
                )
            }
        });
    }
    Ok(chosen)
}

/// One matrix as CSV: `Section,Task,<party names…>` (the model's parties, in its column
/// order), letters as `A, R` (see [`cell_text`]). Cells that a spreadsheet would run as formulas are defused
/// (see [`csv_cell`]).
#[cfg(feature = "spreadsheets")]
pub(crate) fn to_csv(project: &Project, matrix: &Matrix<'_>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "Section".to_string(),
        csv_cell(&task_heading(project, matrix)),
    ];
    header.extend(
        matrix
            .parties
            .iter()
            .map(|&p| csv_cell(&project.parties[p].name.value)),
    );
    let controls = cells::has_controls_column(project);
    if controls {
        header.push(cells::CONTROLS_HEADING.to_string());
    }
    writer.write_record(&header).expect("writing to memory");
    for section in &matrix.sections {
        let title = section
            .section
            .title
            .as_ref()
            .map_or("", |t| t.value.as_str());
        for row in &section.rows {
            let mut record = vec![csv_cell(title), csv_cell(&row.task.title.value)];
            record.extend(matrix.parties.iter().map(|&i| cell_text(project, row, i)));
            if controls {
                record.push(csv_cell(&cells::controls_text(row)));
            }
            writer.write_record(&record).expect("writing to memory");
        }
    }
    let bytes = writer.into_inner().expect("writing to memory");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn formula_cells_are_prefixed() {
        for formula in [
            "=1+1",
            "+1",
            "-2",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "  =HYPERLINK(\"x\")",
            "＝1",
        ] {
            assert_eq!(csv_cell(formula), format!("'{formula}"));
        }
        for text in ["Log a case", "R, A", "", "a=b", "e-mail"] {
            assert_eq!(csv_cell(text), text);
        }
    }
}
