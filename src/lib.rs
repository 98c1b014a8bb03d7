//! rasci turns YAML definitions of parties, tasks and deployment scopes into checked RASCI
//! matrices and a static documentation site.
//!
//! The stages, one module each, run by [`pipeline`] for every command: [`load`] reads the
//! data and content files into a [`model::Project`], [`resolve`] builds one matrix per
//! scope, [`check`] runs the rules, [`render`] makes the site in memory and
//! [`write`](mod@write) puts it on disk; [`report`] renders findings, [`export`] and
//! [`schema`] write machine-readable views.

// Findings travel as `Result<_, Diagnostic>` between stages; they are rare and boxing
// them would buy nothing but noise.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
#[cfg(feature = "site")]
pub mod diagrams;
pub mod diff;
pub mod escape;
pub mod export;
pub mod guard;
pub mod import;
pub mod init;
pub mod load;
pub mod located;
pub mod model;
pub mod pipeline;
#[cfg(feature = "site")]
pub mod plan;
#[cfg(feature = "site")]
pub mod render;
pub mod report;
pub mod resolve;
pub mod schema;
#[cfg(feature = "serve")]
pub mod serve;
pub mod source;
pub mod write;
