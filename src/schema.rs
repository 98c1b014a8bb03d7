//! JSON Schemas (draft-07) for each kind of data file and for `rasci.yaml`, derived from
//! the very types the loader deserializes into.

use crate::config::Config;
use crate::model::*;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

/// (file name, schema) for `rasci.yaml` and then every [`DataKind`], in that order.
pub fn all() -> Vec<(String, Schema)> {
    let mut schemas = vec![one::<Config>("rasci", "rasci site config (rasci.yaml)")];
    schemas.extend(DataKind::ALL.into_iter().map(data_file));
    schemas
}

/// The schema of one kind of data file, from the type the loader reads it into. The match
/// is exhaustive, so a new kind cannot be loaded without a schema.
fn data_file(kind: DataKind) -> (String, Schema) {
    let name = kind.as_str();
    let title = |what: &str| format!("rasci {what} (data/{name}.yaml)");
    match kind {
        DataKind::Parties => one::<PartiesFile>(name, &title("parties")),
        DataKind::Scopes => one::<ScopesFile>(name, &title("scopes")),
        DataKind::Tasks => one::<TasksFile>(name, &title("sections and tasks")),
        DataKind::Summaries => one::<SummariesFile>(name, &title("responsibility summaries")),
        DataKind::Glossary => one::<GlossaryFile>(name, &title("glossary")),
        DataKind::Systems => one::<SystemsFile>(name, &title("systems")),
        DataKind::Flows => one::<FlowsFile>(name, &title("flows")),
        DataKind::Models => one::<ModelsFile>(name, &title("operating models")),
        DataKind::Conditions => one::<ConditionsFile>(name, &title("conditions")),
        DataKind::Frameworks => one::<FrameworksFile>(name, &title("control frameworks")),
    }
}

fn one<T: JsonSchema>(name: &str, title: &str) -> (String, Schema) {
    let mut schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>();
    schema.insert("title".into(), title.into());
    (format!("{name}.schema.json"), schema)
}

/// A schema as pretty JSON with a final newline.
pub fn to_text(schema: &Schema) -> String {
    let mut text = serde_json::to_string_pretty(schema).expect("schemas always serialize");
    text.push('\n');
    text
}
