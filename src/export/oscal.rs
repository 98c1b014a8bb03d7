//! The matrices as an OSCAL component definition (OSCAL 1.1.2, JSON).
//!
//! Why a component definition and not a system security plan: an SSP describes one
//! authorised system (its boundary, information types, sensitivity level, the profile it
//! answers to), none of which a RASCI agreement holds, so an SSP would have to invent them.
//! A component definition describes what a supplier's offering does and who does it,
//! without a system around it, which is what the matrices say. Each task as one scope (of
//! one model) shows it is a component of type `process-procedure`: its parties in their
//! RASCI roles (`responsible-roles`, the five roles defined in `metadata.roles`, the parties
//! in `metadata.parties`), its conditions as properties, and its control references as
//! `control-implementations`, one per framework, each framework a resource of the back
//! matter.
//!
//! Every UUID is a version 5 UUID of [`NAMESPACE_UUID`] and the ids it stands for, so the
//! same project exports the same document, and a party keeps its UUID from one export to
//! the next. Nothing comes from the clock: `last-modified` is given by the caller (see
//! [`Stamp`]).

use crate::model::{Letter, Located, Project};
use crate::resolve::Matrix;
use serde::Serialize;

/// The OSCAL version the document follows.
pub(crate) const OSCAL_VERSION: &str = "1.1.2";

/// The namespace of the properties rasci writes (`ns` of every prop): names of this
/// namespace are documented in docs/oscal.md.
pub(crate) const PROPS_NS: &str = "urn:x-rasci:oscal";

/// The namespace every UUID of the document is made in (a fixed random UUID).
const NAMESPACE_UUID: uuid::Uuid = uuid::uuid!("e89ecf83-5d91-4029-99b5-271e8e76f7f5");

/// The latest `SOURCE_DATE_EPOCH` accepted: the last second of the year 9999, past which
/// a date no longer has four digits.
const MAX_EPOCH: u64 = 253_402_300_799;

/// When the document was last modified and its version, from what the project has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// `last-modified`: RFC 3339, UTC.
    pub(crate) last_modified: String,
    /// `version`.
    pub(crate) version: String,
}

impl Stamp {
    /// The stamp of a project: `SOURCE_DATE_EPOCH` (seconds since 1970, as reproducible
    /// builds set it) when given, else the day the project's data last changed in git
    /// (`data_day`, `YYYY-MM-DD`, midnight UTC), else the start of 1970. The version is the
    /// day of `last-modified`, until a project can state its agreement's own version. An
    /// epoch that is no number of seconds up to the year 9999 is an error in words.
    pub(crate) fn of(
        source_date_epoch: Option<&str>,
        data_day: Option<&str>,
    ) -> Result<Stamp, String> {
        let last_modified = match source_date_epoch {
            Some(text) => {
                let seconds = text
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|s| *s <= MAX_EPOCH)
                    .ok_or_else(|| {
                        format!(
                            "SOURCE_DATE_EPOCH is `{}`, not a number of seconds since 1970 up to the year 9999",
                            crate::escape::shown(text)
                        )
                    })?;
                rfc3339(seconds)
            }
            None => match data_day {
                Some(day) => format!("{day}T00:00:00Z"),
                None => "1970-01-01T00:00:00Z".to_string(),
            },
        };
        Ok(Stamp {
            version: last_modified[..10].to_string(),
            last_modified,
        })
    }
}

/// The day the project's data (the files under `data/`) last changed in git, read with
/// one `git log`; `None` outside a git checkout or for data git does not track.
pub(crate) fn data_day(root: &std::path::Path, project: &Project) -> Option<String> {
    let history = crate::load::history::History::start(root).finish();
    project
        .sources
        .files()
        .filter(|(_, source)| crate::load::kinds::of_path(&source.path).is_some())
        .filter_map(|(_, source)| history.date(&source.path))
        .max()
        .map(str::to_string)
}

/// Seconds since 1970 as `YYYY-MM-DDThh:mm:ssZ` (the days to a civil date as in the
/// proleptic Gregorian calendar).
fn rfc3339(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let rest = seconds % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}

/// A UUID that stands for `what` (`party:vendor`, `component:…`), the same in every export.
fn uuid_of(what: &str) -> String {
    uuid::Uuid::new_v5(&NAMESPACE_UUID, what.as_bytes()).to_string()
}

#[derive(Serialize)]
struct Document {
    #[serde(rename = "component-definition")]
    component_definition: ComponentDefinition,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ComponentDefinition {
    uuid: String,
    metadata: Metadata,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    components: Vec<Component>,
    #[serde(skip_serializing_if = "Option::is_none")]
    back_matter: Option<BackMatter>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Metadata {
    title: String,
    last_modified: String,
    version: String,
    oscal_version: &'static str,
    roles: Vec<Role>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parties: Vec<Party>,
}

#[derive(Serialize)]
struct Role {
    id: &'static str,
    title: &'static str,
}

#[derive(Serialize)]
struct Party {
    uuid: String,
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
    props: Vec<Prop>,
}

#[derive(Serialize)]
struct Prop {
    name: &'static str,
    ns: &'static str,
    value: String,
}

fn prop(name: &'static str, value: &str) -> Prop {
    Prop {
        name,
        ns: PROPS_NS,
        value: value.to_string(),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Component {
    uuid: String,
    #[serde(rename = "type")]
    kind: &'static str,
    title: String,
    description: String,
    props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    responsible_roles: Vec<ResponsibleRole>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    control_implementations: Vec<ControlImplementation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ResponsibleRole {
    role_id: &'static str,
    party_uuids: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ControlImplementation {
    uuid: String,
    source: String,
    description: String,
    /// The framework's resource again, as a link: what tools that follow links (rather
    /// than `source`) read the reference by.
    links: Vec<Link>,
    implemented_requirements: Vec<ImplementedRequirement>,
}

#[derive(Serialize)]
struct Link {
    href: String,
    rel: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ImplementedRequirement {
    uuid: String,
    control_id: String,
    description: String,
    props: Vec<Prop>,
}

#[derive(Serialize)]
struct BackMatter {
    resources: Vec<Resource>,
}

#[derive(Serialize)]
struct Resource {
    uuid: String,
    title: String,
    props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rlinks: Vec<Rlink>,
}

#[derive(Serialize)]
struct Rlink {
    href: String,
}

/// The RASCI roles as OSCAL roles: id and title, in RASCI order.
fn role(letter: Letter) -> Role {
    let id = match letter {
        Letter::R => "responsible",
        Letter::A => "accountable",
        Letter::S => "supportive",
        Letter::C => "consulted",
        Letter::I => "informed",
    };
    Role {
        id,
        title: letter.name(),
    }
}

/// A control id as an OSCAL token (letters, digits, `.`, `-`, `_`, starting with a letter
/// or `_`): every other character becomes `_`, and an id starting with a digit gets a
/// leading `_`. The id as written is kept in the requirement's `control` property.
fn control_token(control: &str) -> String {
    let mut token: String = control
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !token.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        token.insert(0, '_');
    }
    token
}

/// A note as OSCAL remarks: the task's or cell's note, as written (Markdown inline, which
/// OSCAL's markup reads as Markdown too); none without one.
fn remarks(note: Option<&str>) -> Option<String> {
    note.map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
}

/// The OSCAL component definition of the given matrices, pretty JSON ending in a line
/// break.
pub(crate) fn to_oscal(project: &Project, matrices: &[&Matrix<'_>], stamp: &Stamp) -> String {
    let party_uuid = |index: usize| uuid_of(&format!("party:{}", project.parties[index].id.value));
    let mut components = Vec::new();
    let mut cited: Vec<&str> = Vec::new();
    for matrix in matrices {
        let model = project.model_at(matrix.model).id();
        let place = match model {
            Some(model) => format!("{model}:{}", matrix.scope.id.value),
            None => matrix.scope.id.value.clone(),
        };
        for section in &matrix.sections {
            for row in &section.rows {
                let task = row.task;
                let mut props = vec![prop("task", &task.id.value)];
                props.push(prop("scope", &matrix.scope.id.value));
                if let Some(model) = model {
                    props.push(prop("model", model));
                }
                props.push(prop("section", &section.section.id.value));
                props.extend(task.when.iter().map(|c| prop("condition", &c.value)));
                for &party in &matrix.parties {
                    let Some(cell) = row.cells[party] else {
                        continue;
                    };
                    for condition in &cell.when {
                        let value =
                            format!("{}:{}", project.parties[party].id.value, condition.value);
                        props.push(prop("cell-condition", &value));
                    }
                }
                let responsible_roles = Letter::ALL
                    .into_iter()
                    .filter_map(|letter| {
                        let party_uuids: Vec<String> = matrix
                            .parties
                            .iter()
                            .filter(|&&p| row.letters(p).contains(letter))
                            .map(|&p| party_uuid(p))
                            .collect();
                        (!party_uuids.is_empty()).then(|| ResponsibleRole {
                            role_id: role(letter).id,
                            party_uuids,
                        })
                    })
                    .collect();
                let key = format!("{place}:{}", task.id.value);
                let control_implementations = control_implementations(
                    project,
                    &key,
                    &task.title.value,
                    &task.controls,
                    &mut cited,
                );
                components.push(Component {
                    uuid: uuid_of(&format!("component:{key}")),
                    kind: "process-procedure",
                    title: task.title.value.clone(),
                    description: task
                        .description
                        .as_ref()
                        .map_or_else(|| task.title.value.clone(), |d| d.value.clone()),
                    props,
                    responsible_roles,
                    control_implementations,
                    // The task's note, once tasks carry one (`None` until then).
                    remarks: remarks(None),
                });
            }
        }
    }
    let resources: Vec<Resource> = project
        .frameworks
        .iter()
        .filter(|f| cited.contains(&f.id.as_str()))
        .map(|framework| Resource {
            uuid: uuid_of(&format!("framework:{}", framework.id.value)),
            title: framework.name.value.clone(),
            props: vec![prop("framework", &framework.id.value)],
            rlinks: framework
                .url
                .as_ref()
                .filter(|url| crate::model::ControlUrl::parse(&url.value).is_ok())
                .map(|url| Rlink {
                    href: url.value.replace(crate::model::CONTROL_PLACEHOLDER, ""),
                })
                .into_iter()
                .collect(),
        })
        .collect();
    let document = Document {
        component_definition: ComponentDefinition {
            uuid: uuid_of(&format!(
                "component-definition:{}",
                project.config.title.value
            )),
            metadata: Metadata {
                title: project.config.title.value.clone(),
                last_modified: stamp.last_modified.clone(),
                version: stamp.version.clone(),
                oscal_version: OSCAL_VERSION,
                roles: Letter::ALL.into_iter().map(role).collect(),
                parties: project
                    .parties
                    .iter()
                    .enumerate()
                    .map(|(index, party)| Party {
                        uuid: party_uuid(index),
                        kind: "organization",
                        name: party.name.value.clone(),
                        props: vec![prop("party", &party.id.value)],
                    })
                    .collect(),
            },
            components,
            back_matter: (!resources.is_empty()).then_some(BackMatter { resources }),
        },
    };
    let mut text = serde_json::to_string_pretty(&document).expect("OSCAL values always serialize");
    text.push('\n');
    text
}

/// A task's control references as one control implementation per framework, in the
/// order the task first names each; the frameworks cited are added to `cited`.
fn control_implementations<'p>(
    project: &'p Project,
    key: &str,
    title: &str,
    references: &[Located<String>],
    cited: &mut Vec<&'p str>,
) -> Vec<ControlImplementation> {
    let mut implementations: Vec<(&'p str, ControlImplementation)> = Vec::new();
    for reference in references {
        let Some((framework_id, control)) = crate::model::split_reference(&reference.value) else {
            continue;
        };
        let Some(framework) = project.framework(framework_id) else {
            continue;
        };
        let id = framework.id.as_str();
        if !cited.contains(&id) {
            cited.push(id);
        }
        let at = match implementations.iter().position(|(f, _)| *f == id) {
            Some(at) => at,
            None => {
                implementations.push((
                    id,
                    ControlImplementation {
                        uuid: uuid_of(&format!("control-implementation:{key}:{id}")),
                        source: format!("#{}", uuid_of(&format!("framework:{id}"))),
                        links: vec![Link {
                            href: format!("#{}", uuid_of(&format!("framework:{id}"))),
                            rel: "reference",
                        }],
                        description: format!(
                            "The controls of {} this task implements.",
                            framework.name.value
                        ),
                        implemented_requirements: Vec::new(),
                    },
                ));
                implementations.len() - 1
            }
        };
        implementations[at]
            .1
            .implemented_requirements
            .push(ImplementedRequirement {
                uuid: uuid_of(&format!(
                    "implemented-requirement:{key}:{}",
                    reference.value
                )),
                control_id: control_token(control),
                description: format!("Implemented by the task: {title}"),
                props: vec![prop("control", control)],
            });
    }
    implementations.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stamp_comes_from_the_epoch_else_the_data_day() {
        let stamp = Stamp::of(Some("1700000000"), Some("2020-01-01")).unwrap();
        assert_eq!(stamp.last_modified, "2023-11-14T22:13:20Z");
        assert_eq!(stamp.version, "2023-11-14");
        assert_eq!(
            Stamp::of(None, Some("2024-02-29")).unwrap().last_modified,
            "2024-02-29T00:00:00Z"
        );
        assert_eq!(
            Stamp::of(None, None).unwrap().last_modified,
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(
            Stamp::of(Some("253402300799"), None).unwrap().last_modified,
            "9999-12-31T23:59:59Z"
        );
        assert!(Stamp::of(Some("-1"), None).is_err());
        assert!(Stamp::of(Some("253402300800"), None).is_err());
        assert!(Stamp::of(Some("soon"), None).is_err());
    }

    #[test]
    fn control_ids_become_tokens_and_uuids_are_version_5() {
        assert_eq!(control_token("A.5.24"), "A.5.24");
        assert_eq!(control_token("AC-2(1)"), "AC-2_1_");
        assert_eq!(control_token("5.1"), "_5.1");
        let id = uuid_of("party:vendor");
        assert_eq!(id, uuid_of("party:vendor"));
        assert_eq!(&id[14..15], "5");
        assert_ne!(id, uuid_of("party:customer"));
    }
}
