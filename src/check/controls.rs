//! Control reference rules: every `framework:control` of a task's `controls:` names a
//! framework of `data/frameworks.yaml` and, when the framework lists its controls, one of
//! them; and the frameworks keep to their limits and forms (how many, control ids, the
//! link pattern), so the framework pages and the exports stay bounded and every link
//! they write is one the pattern allows.

use crate::diagnostic::{Diagnostic, RuleId, did_you_mean, list_names};
use crate::model::{
    ControlUrl, DataKind, Located, MAX_CONTROLS_PER_FRAMEWORK, MAX_CONTROLS_PER_TASK,
    MAX_FRAMEWORKS, Project, control_problem, split_reference,
};

pub(crate) fn check(project: &Project, found: &mut Vec<Diagnostic>) {
    if let Some(framework) = project.frameworks.get(MAX_FRAMEWORKS) {
        found.push(limit(
            &framework.id,
            format!("more than {MAX_FRAMEWORKS} frameworks"),
            format!("a project defines at most {MAX_FRAMEWORKS} frameworks, one page each"),
        ));
    }
    for framework in &project.frameworks {
        if let Some(control) = framework.controls.get(MAX_CONTROLS_PER_FRAMEWORK) {
            found.push(limit(
                &control.id,
                format!(
                    "framework `{}` lists more than {MAX_CONTROLS_PER_FRAMEWORK} controls",
                    framework.id.value
                ),
                format!("a framework lists at most {MAX_CONTROLS_PER_FRAMEWORK} controls"),
            ));
        }
        for control in &framework.controls {
            if let Some(problem) = control_problem(&control.id.value) {
                found.push(limit(
                    &control.id,
                    format!("`{}` is no control id", shown(&control.id.value)),
                    problem,
                ));
            }
        }
        if let Some(url) = &framework.url
            && let Err(problem) = ControlUrl::parse(&url.value)
        {
            found.push(limit(
                url,
                format!(
                    "the `url` of framework `{}` cannot make a link",
                    framework.id.value
                ),
                format!(
                    "{problem}; write an `https://` address with one `{{control}}`, e.g. `https://example.org/controls/{{control}}`"
                ),
            ));
        }
    }
    let frameworks_known = project.complete(DataKind::Frameworks);
    for (_, task) in project.tasks() {
        if let Some(reference) = task.controls.get(MAX_CONTROLS_PER_TASK) {
            found.push(limit(
                reference,
                format!(
                    "task `{}` names more than {MAX_CONTROLS_PER_TASK} controls",
                    task.id.value
                ),
                format!("a task names at most {MAX_CONTROLS_PER_TASK} controls"),
            ));
        }
        for reference in &task.controls {
            if let Some(finding) = judge(project, reference, frameworks_known) {
                found.push(finding);
            }
        }
    }
}

/// The finding for one reference, if it is wrong: its form, its framework, its control.
fn judge(project: &Project, reference: &Located<String>, known: bool) -> Option<Diagnostic> {
    let Some((framework_id, control_id)) = split_reference(&reference.value) else {
        return Some(limit(
            reference,
            format!("`{}` is no control reference", shown(&reference.value)),
            "write a framework id, `:` and a control id, e.g. `iso27001:A.5.24`".to_string(),
        ));
    };
    if let Some(problem) = control_problem(control_id) {
        return Some(limit(
            reference,
            format!("`{}` is no control reference", shown(&reference.value)),
            problem,
        ));
    }
    let Some(framework) = project.framework(framework_id) else {
        if !known {
            return None;
        }
        let ids: Vec<&str> = project.frameworks.iter().map(|f| f.id.as_str()).collect();
        let help = did_you_mean(framework_id, ids.iter().copied()).unwrap_or_else(|| {
            if ids.is_empty() {
                "define it in `data/frameworks.yaml` with an id and a name".to_string()
            } else {
                format!("the frameworks are {}", list_names(&ids))
            }
        });
        return Some(
            Diagnostic::new(
                RuleId::RefUnknownFramework,
                format!("there is no framework `{}`", shown(framework_id)),
            )
            .at(reference.span, "not defined in data/frameworks.yaml")
            .help(help),
        );
    };
    if framework.controls.is_empty() || framework.control(control_id).is_some() {
        return None;
    }
    let ids: Vec<&str> = framework.controls.iter().map(|c| c.id.as_str()).collect();
    let help = did_you_mean(control_id, ids.iter().copied()).unwrap_or_else(|| {
        format!(
            "framework `{}` lists its controls in data/frameworks.yaml; add this one there or name one of them",
            framework.id.value
        )
    });
    Some(
        Diagnostic::new(
            RuleId::RefUnknownControl,
            format!(
                "framework `{}` has no control `{control_id}`",
                framework.id.value
            ),
        )
        .at(reference.span, "not listed under the framework's controls")
        .help(help),
    )
}

fn limit(at: &Located<String>, message: String, help: String) -> Diagnostic {
    Diagnostic::new(RuleId::RasciFrameworkLimits, message)
        .at(at.span, "here")
        .help(help)
}

fn shown(text: &str) -> String {
    crate::escape::shown(text)
}
