//! The page of a control framework (`pages/framework.html`): each control its tasks
//! implement, with those tasks per model and scope and who is Accountable and
//! Responsible for them there; and, when the framework lists its controls, the controls
//! no task implements. The references a task row shows are `views::row_controls`.

use super::env::PageEnv;
use super::out::{PageOut, toc_of};
use super::templates::RenderError;
use super::views::Link;
use crate::model::{Framework, Letter, Project, control_problem, split_reference};
use crate::plan::urls;
use serde::Serialize;
use std::collections::HashMap;

const FRAMEWORK: &str = "pages/framework.html";

/// `pages/framework.html`: one framework's controls.
#[derive(Debug, Serialize)]
pub(crate) struct FrameworkView {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description_html: Option<String>,
    /// Whether the framework lists its controls (then `uncovered` is meaningful).
    pub(crate) lists_controls: bool,
    /// The controls some task implements: the listed ones in their order, then the
    /// others in the order tasks first name them.
    pub(crate) controls: Vec<ControlView>,
    /// Id of the heading over `uncovered`.
    pub(crate) uncovered_id: String,
    /// The listed controls no task implements, in their order.
    pub(crate) uncovered: Vec<ControlView>,
}

/// A control on its framework's page.
#[derive(Debug, Serialize)]
pub(crate) struct ControlView {
    /// The heading's id, which task rows link to.
    pub(crate) anchor: String,
    /// The control's id as the framework writes it.
    pub(crate) control: String,
    pub(crate) title: Option<String>,
    /// The control's description at the framework's `url`, percent-encoded into it.
    pub(crate) href: Option<String>,
    /// The tasks that implement it, per model and scope.
    pub(crate) tasks: Vec<ControlTask>,
}

/// A task that implements a control, as one scope (of one model) shows it.
#[derive(Debug, Serialize)]
pub(crate) struct ControlTask {
    /// The task's title, linked to its row.
    pub(crate) task: Link,
    pub(crate) model_name: Option<String>,
    pub(crate) scope_name: String,
    pub(crate) accountable: Vec<Link>,
    pub(crate) responsible: Vec<Link>,
}

/// Renders the page of framework `index`.
pub(crate) fn framework(
    env: &mut PageEnv<'_>,
    out: &mut PageOut,
    index: usize,
) -> Result<(), RenderError> {
    let project = env.data.project;
    let framework = &project.frameworks[index];
    let description_html = framework
        .description
        .as_ref()
        .map(|d| env.inline(&d.value, d.span));
    if let Some(text) = &description_html {
        out.description = crate::load::markdown::text_of(text);
    }
    let (order, mut tasks) = implementing(env, framework);
    let mut controls = Vec::new();
    let mut uncovered = Vec::new();
    for control in &order {
        let view = control_view(env, framework, control, tasks.remove(control.as_str()));
        if view.tasks.is_empty() {
            uncovered.push(view);
        } else {
            controls.push(view);
        }
    }
    let uncovered_id = env.id("uncovered");
    let view = FrameworkView {
        id: framework.id.value.clone(),
        name: framework.name.value.clone(),
        description_html,
        lists_controls: !framework.controls.is_empty(),
        controls,
        uncovered_id,
        uncovered,
    };
    out.body = env.theme.render_block(FRAMEWORK, "body", &view)?;
    let mut ids: Vec<&str> = view.controls.iter().map(|c| c.anchor.as_str()).collect();
    if !view.uncovered.is_empty() {
        ids.push(&view.uncovered_id);
    }
    out.toc = toc_of(&out.body, &ids, Vec::new());
    Ok(())
}

/// The control ids of the page in order (listed ones, then the others as tasks first
/// name them), and per control id the tasks that implement it, matrix by matrix.
fn implementing(
    env: &PageEnv<'_>,
    framework: &Framework,
) -> (Vec<String>, HashMap<String, Vec<ControlTask>>) {
    let data = env.data;
    let project = data.project;
    let mut order: Vec<String> = framework
        .controls
        .iter()
        .filter(|c| control_problem(&c.id.value).is_none())
        .map(|c| c.id.value.clone())
        .collect();
    let mut tasks: HashMap<String, Vec<ControlTask>> = HashMap::new();
    for matrix in data.matrices {
        let scope_page = data.matrix_path(matrix);
        for row in matrix.rows() {
            for reference in &row.task.controls {
                let Some((framework_id, control)) = split_reference(&reference.value) else {
                    continue;
                };
                if framework_id != framework.id.value || control_problem(control).is_some() {
                    continue;
                }
                if !framework.controls.is_empty() && framework.control(control).is_none() {
                    continue;
                }
                let entry = tasks.entry(control.to_string()).or_insert_with(|| {
                    if framework.controls.is_empty() {
                        order.push(control.to_string());
                    }
                    Vec::new()
                });
                let holders = |letter: Letter| -> Vec<Link> {
                    matrix
                        .parties
                        .iter()
                        .filter(|&&p| row.letters(p).contains(letter))
                        .map(|&p| party_link(env, project, p))
                        .collect()
                };
                entry.push(ControlTask {
                    task: Link {
                        name: row.task.title.value.clone(),
                        href: format!(
                            "{}#{}",
                            env.url(&scope_page),
                            urls::task_anchor(&row.task.id.value)
                        ),
                    },
                    model_name: project.model_at(matrix.model).name().map(str::to_string),
                    scope_name: matrix.scope.name.value.clone(),
                    accountable: holders(Letter::A),
                    responsible: holders(Letter::R),
                });
            }
        }
    }
    (order, tasks)
}

fn control_view(
    env: &mut PageEnv<'_>,
    framework: &Framework,
    control: &str,
    tasks: Option<Vec<ControlTask>>,
) -> ControlView {
    ControlView {
        anchor: env.id(&urls::control_anchor(control)),
        control: control.to_string(),
        title: framework
            .control(control)
            .and_then(|c| c.title.as_ref())
            .map(|t| t.value.clone()),
        href: framework.control_link(control),
        tasks: tasks.unwrap_or_default(),
    }
}

fn party_link(env: &PageEnv<'_>, project: &Project, party: usize) -> Link {
    let party = &project.parties[party];
    Link {
        name: party.name.value.clone(),
        href: env.url(&urls::party(&party.id.value)),
    }
}
