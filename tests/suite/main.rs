//! The integration tests, as one test binary: one module per area, sharing the helpers of
//! `support`. One binary links the library once instead of once per file, and a module
//! runs alone with `cargo test --test suite <module>::`.

mod support;

mod agreement;
mod brand;
mod cli;
mod conditions;
mod diagnostics;
mod diagrams;
mod diff;
mod docs;
mod exports;
mod fixtures;
mod frameworks;
mod fuzz;
mod grown_hub;
mod hostile;
mod hub;
mod ids;
mod import;
mod incremental;
mod init;
mod labels;
mod last_updated;
mod layering;
mod letters;
mod links_agree;
mod loader_props;
mod lsp;
mod model_pairs;
mod models;
mod models_site;
mod notes;
mod notes_exchange;
mod oscal;
mod output;
mod per_model;
mod pipeline;
mod plan;
mod redirects;
mod rules;
mod sarif;
mod schema;
mod scope_lists;
mod search;
mod seeds;
mod serve;
mod site;
mod snapshots;
mod templates;
mod theme;
mod versions;
mod weight;
mod wording;
