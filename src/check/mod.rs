//! Check: the rules run over a loaded project and its resolved matrices. Each rule family
//! lives in its own file; their ids are [`RuleId`](crate::diagnostic::RuleId)s, declared
//! below every stage because the loader and the renderer raise findings too.

mod agreement;
mod conditions;
mod config;
mod controls;
mod flows;
pub(crate) mod links;
mod matrix;
pub(crate) mod outputs;
mod pairs;
mod refs;
mod summaries;

use crate::diagnostic::Findings;
use crate::model::Project;
use crate::resolve::Matrix;

pub(crate) use config::restyle;

/// Runs every rule and applies the severities set in `rasci.yaml`.
pub(crate) fn check(project: &Project, matrices: &[Matrix<'_>], findings: &mut Findings) {
    let mut found = Vec::new();
    refs::check(project, &mut found);
    pairs::check(project, &mut found);
    conditions::check(project, matrices, &mut found);
    controls::check(project, &mut found);
    matrix::check(project, matrices, &mut found);
    outputs::check(project, matrices, &mut found);
    flows::check(project, &mut found);
    summaries::check(project, &mut found);
    agreement::check(project, &mut found);
    findings.extend(found);
    config::apply_severity_config(project, findings);
    findings.sort(&project.sources);
}
