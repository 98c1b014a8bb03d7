//! rasci turns YAML definitions of parties, tasks and deployment scopes into checked RASCI
//! matrices and a static documentation site.
//!
//! The pipeline, one module per stage: [`load`] reads files into a [`model::Project`],
//! [`resolve`] builds one matrix per scope, [`check`] runs the rules, [`report`] renders
//! findings, [`export`] and [`schema`] write machine-readable views.

// Findings travel as `Result<_, Diagnostic>` between stages; they are rare and boxing
// them would buy nothing but noise.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod diagrams;
pub mod export;
pub mod init;
pub mod load;
pub mod model;
pub mod plan;
pub mod render;
pub mod report;
pub mod resolve;
pub mod schema;
pub mod serve;
pub mod source;
pub mod write;

use diagnostic::Findings;
use model::Project;
use std::path::Path;

/// A loaded and checked project: load (data and content front matter), resolve and
/// check, as `rasci check` runs them. The links of content pages are checked from their
/// Markdown; rendering, and with it the check of links to the site's generated pages, is
/// left to `render::build`: it is what makes a build slow on very large matrices.
pub fn analyze(root: &Path) -> Result<(Project, Findings), load::LoadError> {
    let (mut project, mut findings) = load::load(root)?;
    let content = render::content::load(&mut project, &mut findings)?;
    findings.extend(render::check_content_links(&project, &content));
    let matrices = resolve::resolve(&project);
    check::check(&project, &matrices, &mut findings);
    Ok((project, findings))
}
