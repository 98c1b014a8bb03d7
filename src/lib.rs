//! rasci turns YAML definitions of parties, tasks and deployment scopes into checked RASCI
//! matrices and a static documentation site.
//!
//! The stages, one module each, run by [`pipeline`] for every command: [`load`] reads the
//! data and content files into a [`model::Project`], [`resolve`] builds one matrix per
//! scope, `check` runs the rules, [`render`] makes the site in memory and
//! `write` puts it on disk; [`report`] renders findings, `export` and
//! [`schema`] write machine-readable views.

// Findings travel as `Result<_, Diagnostic>` between stages; they are rare and boxing
// them would buy nothing but noise.
#![allow(clippy::result_large_err)]
// A build without some of the default features leaves out the code only they call, so
// helpers they share with the rest go unused there. The default build, which the tests and
// CI lint with warnings denied, keeps every dead-code warning.
#![cfg_attr(
    not(all(
        feature = "site",
        feature = "serve",
        feature = "spreadsheets",
        feature = "lsp"
    )),
    allow(dead_code, unused_imports)
)]

pub(crate) mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
#[cfg(feature = "site")]
pub mod diagrams;
pub(crate) mod diff;
pub(crate) mod escape;
pub(crate) mod export;
pub(crate) mod guard;
pub mod import;
pub(crate) mod init;
pub mod load;
pub(crate) mod located;
#[cfg(feature = "lsp")]
pub mod lsp;
pub mod model;
pub mod pipeline;
pub mod plan;
#[cfg(feature = "site")]
pub mod render;
pub mod report;
pub mod resolve;
pub mod schema;
#[cfg(feature = "serve")]
pub(crate) mod serve;
pub mod source;
pub(crate) mod write;
