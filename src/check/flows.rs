//! Flow rules beyond references: decisions branch, and every step can be reached.

use crate::diagnostic::{Diagnostic, RuleId};
use crate::model::{Project, StepKind};
use std::collections::HashSet;

pub(crate) fn check(project: &Project, found: &mut Vec<Diagnostic>) {
    for flow in &project.flows {
        for step in &flow.steps {
            if step.kind == StepKind::Decision && step.branches.len() < 2 {
                found.push(
                    Diagnostic::new(
                        RuleId::FlowSingleBranch,
                        format!(
                            "decision `{}` has {} branch{}",
                            step.id.value,
                            step.branches.len(),
                            if step.branches.len() == 1 { "" } else { "es" }
                        ),
                    )
                    .at(step.id.span, "this decision")
                    .help(
                        "a decision needs at least two `branches:`, each with a `label` and a `to`",
                    ),
                );
            }
        }

        // Reachability from the start steps (or the first step when none is marked).
        let mut queue: Vec<&str> = flow
            .steps
            .iter()
            .filter(|s| s.kind == StepKind::Start)
            .map(|s| s.id.as_str())
            .collect();
        if queue.is_empty() {
            queue.extend(flow.steps.first().map(|s| s.id.as_str()));
        }
        let mut reached: HashSet<&str> = queue.iter().copied().collect();
        // An edge to an unknown step is reported at the edge; it is taken to lead to the
        // step it most likely misspells, so that the steps after it are not reported as
        // unreachable too. With no such step, reachability is not judged.
        let step_ids = || flow.steps.iter().map(|s| s.id.as_str());
        let mut unsure = false;
        while let Some(id) = queue.pop() {
            let Some(step) = flow.steps.iter().find(|s| s.id.value == id) else {
                continue;
            };
            let targets = step.next.iter().chain(step.branches.iter().map(|b| &b.to));
            for target in targets {
                let target = if step_ids().any(|s| s == target.as_str()) {
                    target.as_str()
                } else {
                    match crate::diagnostic::closest(target.as_str(), step_ids()) {
                        Some(meant) => meant,
                        None => {
                            unsure = true;
                            continue;
                        }
                    }
                };
                if reached.insert(target) {
                    queue.push(target);
                }
            }
        }
        for step in &flow.steps {
            if !unsure && !reached.contains(step.id.as_str()) {
                found.push(
                    Diagnostic::new(
                        RuleId::FlowUnreachableStep,
                        format!(
                            "step `{}` of flow `{}` cannot be reached",
                            step.id.value, flow.id.value
                        ),
                    )
                    .at(step.id.span, "nothing leads here")
                    .help("add it to another step's `next:` or a decision's `branches:`"),
                );
            }
        }
    }
}
