//! Flow rules beyond references: decisions branch, and every step can be reached.

use crate::diagnostic::Diagnostic;
use crate::model::{Project, StepKind};
use std::collections::HashSet;

pub fn check(project: &Project, found: &mut Vec<Diagnostic>) {
    for flow in &project.flows {
        for step in &flow.steps {
            if step.kind == StepKind::Decision && step.branches.len() < 2 {
                found.push(
                    Diagnostic::new(
                        "flow/single-branch",
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
        while let Some(id) = queue.pop() {
            let Some(step) = flow.steps.iter().find(|s| s.id.value == id) else {
                continue;
            };
            let targets = step.next.iter().chain(step.branches.iter().map(|b| &b.to));
            for target in targets {
                if reached.insert(target.as_str()) {
                    queue.push(target.as_str());
                }
            }
        }
        for step in &flow.steps {
            if !reached.contains(step.id.as_str()) {
                found.push(
                    Diagnostic::new(
                        "flow/unreachable-step",
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
