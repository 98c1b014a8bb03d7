//! JSON Schemas (draft-07) for each kind of data file and for `rasci.yaml`, derived from
//! the very types the loader deserializes into.

use crate::config::Config;
use crate::model::*;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

/// (file name, schema) for every kind, in a stable order.
pub fn all() -> Vec<(String, Schema)> {
    fn one<T: JsonSchema>(kind: &str, title: &str) -> (String, Schema) {
        let mut schema = SchemaSettings::draft07()
            .into_generator()
            .into_root_schema_for::<T>();
        schema.insert("title".into(), title.into());
        (format!("{kind}.schema.json"), schema)
    }
    vec![
        one::<Config>("rasci", "rasci site config (rasci.yaml)"),
        one::<PartiesFile>("parties", "rasci parties (data/parties.yaml)"),
        one::<ScopesFile>("scopes", "rasci scopes (data/scopes.yaml)"),
        one::<TasksFile>("tasks", "rasci sections and tasks (data/tasks.yaml)"),
        one::<SummariesFile>(
            "summaries",
            "rasci responsibility summaries (data/summaries.yaml)",
        ),
        one::<GlossaryFile>("glossary", "rasci glossary (data/glossary.yaml)"),
        one::<SystemsFile>("systems", "rasci systems (data/systems.yaml)"),
        one::<FlowsFile>("flows", "rasci flows (data/flows.yaml)"),
    ]
}

/// A schema as pretty JSON with a final newline.
pub fn to_text(schema: &Schema) -> String {
    let mut text = serde_json::to_string_pretty(schema).expect("schemas always serialize");
    text.push('\n');
    text
}
