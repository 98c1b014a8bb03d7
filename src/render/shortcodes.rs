//! Shortcodes: the data views a content page embeds with `{{ name(arg="…") }}`. Each is
//! declared once, in [`SHORTCODES`], with the arguments it takes and the function that
//! renders it; the names the findings suggest come from the same table.
//!
//! A page's Markdown is rendered with the page itself as the host (see [`Host`]), and the
//! host's shortcodes come from this table: the host is implemented here, above both the
//! page state and the views, so that neither has to know the other.

use super::duties::{DutiesView, duties};
use super::env::{PageEnv, rewrite};
use super::glossary::Marker;
use super::letters::LetterView;
use super::markdown::{Host, Shortcode};
use super::views::{
    Empty, FigureView, FlowView, MatrixView, SummaryView, SystemsView, flow, flow_figure, matrix,
    summaries, systems, systems_figure,
};
use crate::config::LetterOrder;
use crate::diagnostic::{Diagnostic, RuleId, did_you_mean, list_names};
use crate::model::{Flow, Letter, ModelIx, Scope};
use crate::plan::urls;
use crate::resolve::Matrix;
use crate::source::Span;
use serde::Serialize;

/// One shortcode: its name, the arguments it takes, and what renders it.
struct Declared {
    name: &'static str,
    args: &'static [&'static str],
    render: for<'a, 'c> fn(&mut PageEnv<'a>, &Call<'c, 'a>) -> Result<String, Diagnostic>,
}

/// Every shortcode, in the order findings list them.
const SHORTCODES: &[Declared] = &[
    Declared {
        name: "rasci_table",
        args: &["scope", "model"],
        render: rasci_table,
    },
    Declared {
        name: "legend",
        args: &[],
        render: legend,
    },
    Declared {
        name: "party_duties",
        args: &["party", "scope", "model"],
        render: party_duties,
    },
    Declared {
        name: "diagram",
        args: &["flow", "systems", "scope", "model"],
        render: diagram,
    },
    Declared {
        name: "summaries",
        args: &["scope", "model"],
        render: summaries_of,
    },
    Declared {
        name: "letters",
        args: &["set"],
        render: letter_badges,
    },
    // A passage for the readers of some models: read when the page is loaded (see
    // `load::content::Passage`) and left out of other models' showings before the
    // Markdown is rendered, so a call that reaches rendering is not on a line of its own.
    Declared {
        name: crate::load::content::PASSAGE,
        args: &["models"],
        render: passage_inline,
    },
    Declared {
        name: crate::load::content::END_PASSAGE,
        args: &[],
        render: passage_inline,
    },
];

/// `{{ passage(models="…") }}` or `{{ end_passage() }}` inside a line of text: a passage
/// is whole lines, so this is a finding.
fn passage_inline<'a>(_: &mut PageEnv<'a>, call: &Call<'_, 'a>) -> Result<String, Diagnostic> {
    Err(Diagnostic::new(
        RuleId::ContentShortcode,
        format!("`{}` must stand on a line of its own", call.call.name),
    )
    .at(call.call.span, "inside a line of text")
    .help(format!(
        "a passage is whole lines: write {{{{ {}(models=\"<id>\") }}}} and {{{{ {}() }}}} each on a line of its own, around the passage",
        crate::load::content::PASSAGE,
        crate::load::content::END_PASSAGE
    )))
}

/// Every shortcode's name and the arguments it takes, in the order findings list them:
/// what the language server offers to complete.
pub(crate) fn declared() -> impl Iterator<Item = (&'static str, &'static [&'static str])> {
    SHORTCODES.iter().map(|s| (s.name, s.args))
}

/// A shortcode call with its scope and operating model worked out: the ones named,
/// else the page's own.
struct Call<'c, 'a> {
    call: &'c Shortcode,
    scope: Option<&'a Scope>,
    model: Option<ModelIx>,
}

impl<'c, 'a> Call<'c, 'a> {
    /// The finding for a shortcode that needs a scope on a page outside any.
    fn need_scope(&self) -> Diagnostic {
        Diagnostic::new(
            RuleId::ContentShortcode,
            format!("`{}` needs a deployment", self.call.name),
        )
        .at(self.call.span, "on a page outside any deployment")
        .help("add scope=\"<id>\"")
    }

    /// The scope, or the finding that the page has none.
    fn scope(&self) -> Result<&'a Scope, Diagnostic> {
        self.scope.ok_or_else(|| self.need_scope())
    }

    /// The matrix of `scope` in the call's model; on a page of no model, or of a model
    /// that does not cover the scope (unless the call names it), in the first model that
    /// covers the scope.
    fn matrix_of<'d>(
        &self,
        env: &PageEnv<'d>,
        scope: &Scope,
    ) -> Result<&'d Matrix<'d>, Diagnostic> {
        let data = env.data;
        let call = self.call;
        let model = self.model;
        let index = data.scope_index(scope);
        // A model the call names is a promise; the page's own model, when it does not
        // cover the scope, gives way to the first model that does, as on a page of none.
        let named = call.arg("model").is_some();
        let first = |index| {
            data.project
                .models()
                .find_map(|(m, _)| data.matrix(m, index))
        };
        let found = index.and_then(|index| match model {
            Some(model) => data
                .matrix(model, index)
                .or_else(|| (!named).then(|| first(index)).flatten()),
            None => first(index),
        });
        found.ok_or_else(|| {
            // The models that do show a table for the scope, for the help.
            let covering: Vec<&str> = index
                .map(|index| {
                    data.project
                        .models()
                        .filter(|&(m, _)| data.matrix(m, index).is_some())
                        .filter_map(|(_, def)| def.id())
                        .collect()
                })
                .unwrap_or_default();
            let named = model
                .filter(|_| call.arg("model").is_some())
                .and_then(|m| data.project.model_at(m).id());
            let message = match named {
                Some(id) => format!("model `{id}` does not cover `{}`", scope.id.value),
                None => format!("no operating model shows a table for `{}`", scope.id.value),
            };
            let help = if covering.is_empty() {
                "name a model that covers the deployment with model=\"<id>\"".to_string()
            } else {
                format!(
                    "models that cover `{}`: {}",
                    scope.id.value,
                    list_names(&covering)
                )
            };
            Diagnostic::new(RuleId::ContentShortcode, message)
                .at(call.span, "in this shortcode")
                .help(help)
        })
    }
}

/// Renders a shortcode call from a content page with the theme's partials: the call is
/// checked against its declaration (name, then arguments), its scope and model are
/// looked up, and its renderer runs with the page's scope and model set to the
/// call's, restored afterwards.
fn shortcode(env: &mut PageEnv<'_>, call: &Shortcode) -> Result<String, Diagnostic> {
    let data = env.data;
    let Some(declared) = SHORTCODES.iter().find(|s| s.name == call.name) else {
        let names: Vec<&str> = SHORTCODES.iter().map(|s| s.name).collect();
        let other = call.name.as_str();
        let mut d = Diagnostic::new(
            RuleId::ContentShortcode,
            format!("there is no shortcode `{other}`"),
        )
        .at(call.span, "unknown shortcode");
        d = d.help(match did_you_mean(other, names.iter().copied()) {
            Some(s) => s,
            None => format!("shortcodes: {}", list_names(&names)),
        });
        return Err(d);
    };
    let known_args = declared.args;
    if let Some((key, _)) = call
        .args
        .iter()
        .find(|(k, _)| !known_args.contains(&k.as_str()))
    {
        return Err(Diagnostic::new(
            RuleId::ContentShortcode,
            format!("`{}` takes no argument `{key}`", call.name),
        )
        .at(call.span, "unknown argument")
        .help(if known_args.is_empty() {
            format!("`{}` takes no arguments", call.name)
        } else {
            format!("arguments: {}", list_names(known_args))
        }));
    }
    // The scope: the one named, else the page's own.
    let scope = match call.arg("scope") {
        Some(id) => match data.project.scope(id) {
            Some(scope) => Some(scope),
            None => {
                let known = data.project.scopes.iter().map(|s| s.id.as_str());
                let mut d = Diagnostic::new(
                    RuleId::ContentShortcode,
                    format!("there is no scope `{id}`"),
                )
                .at(call.span, "in this shortcode");
                if let Some(help) = did_you_mean(id, known) {
                    d = d.help(help);
                }
                return Err(d);
            }
        },
        None => env.scope,
    };
    // The operating model: the one named, else the page's own; on a page of no model,
    // the first model that covers the scope.
    let model = match call.arg("model") {
        Some(id) => match data.project.model(id) {
            Some((model, _)) => Some(model),
            None => {
                let known: Vec<&str> = data.project.models.iter().filter_map(|m| m.id()).collect();
                let mut d = Diagnostic::new(
                    RuleId::ContentShortcode,
                    format!("there is no operating model `{id}`"),
                )
                .at(call.span, "in this shortcode");
                d = d.help(match did_you_mean(id, known.iter().copied()) {
                    Some(help) => help,
                    None if known.is_empty() => {
                        "the project defines no operating models: leave out `model`".to_string()
                    }
                    None => format!("operating models: {}", list_names(&known)),
                });
                return Err(d);
            }
        },
        None => env.model,
    };
    let saved_scope = env.scope;
    let saved_model = env.model;
    let result = (declared.render)(env, &Call { call, scope, model });
    env.scope = saved_scope;
    env.model = saved_model;
    result
}

/// `{{ legend() }}`: what the letters mean.
fn legend<'a>(env: &mut PageEnv<'a>, _: &Call<'_, 'a>) -> Result<String, Diagnostic> {
    Ok(env.partial("partials/legend.html", &Empty {}))
}

/// `{{ rasci_table(scope="…") }}`: a scope's matrix, with the legend under it.
fn rasci_table<'a>(env: &mut PageEnv<'a>, call: &Call<'_, 'a>) -> Result<String, Diagnostic> {
    let scope = call.scope()?;
    let table_matrix = call.matrix_of(env, scope)?;
    env.scope = Some(scope);
    #[derive(Serialize)]
    struct Table {
        matrix: MatrixView,
    }
    let table = Table {
        matrix: matrix(env, table_matrix),
    };
    Ok(format!(
        "{}{}",
        env.partial("partials/matrix.html", &table),
        env.partial("partials/legend.html", &Empty {})
    ))
}

/// `{{ summaries(scope="…") }}`: the parties' summaries for a scope.
fn summaries_of<'a>(env: &mut PageEnv<'a>, call: &Call<'_, 'a>) -> Result<String, Diagnostic> {
    let scope = call.scope;
    env.scope = scope;
    env.model = call.model.or_else(|| {
        scope
            .and_then(|s| call.matrix_of(env, s).ok())
            .map(|m| m.model)
    });
    #[derive(Serialize)]
    struct Summaries {
        summaries: Vec<SummaryView>,
    }
    let view = Summaries {
        summaries: summaries(env, 3),
    };
    Ok(env.partial("partials/summaries.html", &view))
}

/// `{{ party_duties(party="…") }}`: one party's tasks in a scope, by letters.
fn party_duties<'a>(env: &mut PageEnv<'a>, call: &Call<'_, 'a>) -> Result<String, Diagnostic> {
    let data = env.data;
    let scope = call.scope()?;
    let duties_matrix = call.matrix_of(env, scope)?;
    let span = call.call.span;
    let id = call.call.arg("party").unwrap_or("");
    let Some(party) = data.project.party(id) else {
        let known = data.project.parties.iter().map(|p| p.id.as_str());
        let mut d = Diagnostic::new(
            RuleId::ContentShortcode,
            format!("there is no party `{id}`"),
        )
        .at(span, "in this shortcode");
        d = d.help(did_you_mean(id, known).unwrap_or_else(|| "give party=\"<id>\"".to_string()));
        return Err(d);
    };
    let in_model = data
        .project
        .parties
        .iter()
        .position(|p| p.id.value == party.id.value)
        .is_some_and(|index| data.project.model_at(duties_matrix.model).has_party(index));
    if !in_model {
        let model = data.project.model_at(duties_matrix.model);
        let members: Vec<&str> = model
            .parties
            .iter()
            .map(|&i| data.project.parties[i].id.as_str())
            .collect();
        return Err(Diagnostic::new(
            RuleId::ContentShortcode,
            format!(
                "party `{id}` does not take part in model `{}`",
                model.id().unwrap_or_default()
            ),
        )
        .at(span, "in this shortcode")
        .help(format!("the model's parties: {}", list_names(&members))));
    }
    env.scope = Some(scope);
    #[derive(Serialize)]
    struct Duties {
        duties: DutiesView,
    }
    let view = Duties {
        duties: duties(
            env,
            party,
            duties_matrix,
            &data.matrix_path(duties_matrix),
            3,
        ),
    };
    Ok(env.partial("partials/duties.html", &view))
}

/// `{{ diagram(flow="…") }}` draws a flow, `{{ diagram(systems=true) }}` the systems; each
/// as a list when it has no drawing.
fn diagram<'a>(env: &mut PageEnv<'a>, call: &Call<'_, 'a>) -> Result<String, Diagnostic> {
    let data = env.data;
    let model = call.model;
    let span = call.call.span;
    env.scope = call.scope;
    #[derive(Serialize)]
    struct Figure {
        figure: FigureView,
    }
    let Some(id) = call.call.arg("flow") else {
        return Ok(match systems_figure(env) {
            Some(figure) => env.partial("partials/figure.html", &Figure { figure }),
            None => {
                #[derive(Serialize)]
                struct Systems {
                    systems: SystemsView,
                }
                let view = Systems {
                    systems: systems(env),
                };
                env.partial("partials/systems.html", &view)
            }
        });
    };
    // Flow ids may repeat across models: the named model's flow comes first.
    let flow_of = |f: &&Flow| f.id.value == id;
    let found = data
        .project
        .flows
        .iter()
        .filter(flow_of)
        .find(|f| model.is_none_or(|m| f.model == m))
        .or_else(|| data.project.flows.iter().find(flow_of));
    // A model named in the call is a promise: its flow, not another's.
    let named_model = model.filter(|_| call.call.arg("model").is_some());
    if let (Some(f), Some(m)) = (found, named_model)
        && f.model != m
    {
        let model_id = data.project.model_at(m).id().unwrap_or_default();
        let own: Vec<&str> = data
            .project
            .flows
            .iter()
            .filter(|flow| flow.model == m)
            .map(|flow| flow.id.as_str())
            .collect();
        let help = if own.is_empty() {
            format!("model `{model_id}` has no flows")
        } else {
            format!("flows of model `{model_id}`: {}", list_names(&own))
        };
        return Err(Diagnostic::new(
            RuleId::ContentShortcode,
            format!(
                "flow `{id}` is not a flow of model `{model_id}` (it is of model `{}`)",
                data.project.model_at(f.model).id().unwrap_or_default()
            ),
        )
        .at(span, "in this shortcode")
        .help(help));
    }
    match found {
        Some(f) => Ok(match flow_figure(env, f) {
            Some(figure) => env.partial("partials/figure.html", &Figure { figure }),
            None => {
                #[derive(Serialize)]
                struct Steps {
                    flow: FlowView,
                }
                let view = Steps {
                    flow: flow(env, f, String::new()),
                };
                env.partial("partials/flow.html", &view)
            }
        }),
        None => Err(
            Diagnostic::new(RuleId::ContentShortcode, format!("there is no flow `{id}`"))
                .at(span, "in this shortcode"),
        ),
    }
}

/// `{{ letters(set="R, A") }}`: the letters as the tables show them, the badges of
/// `partials/badges.html`, in the order the tables show a cell's letters (as written, or
/// R, A, S, C, I with `matrix.letter_order: rasci`), so a guide that speaks of a
/// combination shows it as the matrix does. Letters are read as in the
/// data (capitals, commas and spaces between them); anything else is a finding, and so
/// is a letter given twice, or none.
fn letter_badges<'a>(env: &mut PageEnv<'a>, call: &Call<'_, 'a>) -> Result<String, Diagnostic> {
    let call = call.call;
    let written = call.arg("set").unwrap_or("");
    let mut set = crate::model::LetterSet::default();
    let mut in_order = Vec::new();
    let bad = |message: String, help: String| {
        Diagnostic::new(RuleId::ContentShortcode, message)
            .at(call.span, "in this shortcode")
            .help(help)
    };
    for c in written.chars().filter(|c| *c != ',' && !c.is_whitespace()) {
        let Some(letter) = Letter::from_char(c) else {
            let upper = c.to_ascii_uppercase();
            let help = if Letter::from_char(upper).is_some() {
                format!("letters are capitals: write `{upper}`")
            } else {
                "write letters among R, A, S, C and I, separated by commas".to_string()
            };
            return Err(bad(
                format!("`{}` is not a RASCI letter", c.escape_debug()),
                help,
            ));
        };
        in_order.push(letter);
        if !set.insert(letter) {
            return Err(bad(
                format!("`{c}` is given twice"),
                "each letter counts once; remove the repeat".to_string(),
            ));
        }
    }
    if set.is_empty() {
        return Err(bad(
            "`letters` needs the letters to show".to_string(),
            "write them as set=\"R, A\"".to_string(),
        ));
    }
    #[derive(Serialize)]
    struct Badges {
        badges: Vec<LetterView>,
    }
    Ok(env.partial(
        "partials/badges.html",
        &Badges {
            badges: match env.data.project.config.matrix.letter_order {
                LetterOrder::Written => in_order.into_iter().map(LetterView::of).collect(),
                LetterOrder::Rasci => set.iter().map(LetterView::of).collect(),
            },
        },
    ))
}

/// The page is the host of its own Markdown: its glossary marks, links, heading ids and
/// findings are the page's, and its shortcodes come from [`SHORTCODES`].
impl<'a> Host<'a> for PageEnv<'a> {
    fn marker(&mut self) -> &mut Marker<'a> {
        &mut self.marker
    }

    fn shortcode(&mut self, call: &Shortcode) -> Result<String, Diagnostic> {
        shortcode(self, call)
    }

    fn rewrite_link(&mut self, dest: &str, span: Span) -> String {
        let data = self.data;
        let project = data.project;
        let own_scope = self.scope.map(|s| s.id.value.clone());
        let own_model = self.model;
        // A guide links to a guide in its own scope and model when that has it; a page
        // outside any scope links to a guide in the first scope that shows it, since
        // guides only exist inside scopes.
        let page_for = |slug: &str| {
            let page = data.content_page(slug);
            let scope = own_scope.clone().or_else(|| {
                project
                    .scopes
                    .iter()
                    .find(|s| page.is_none_or(|p| p.applies_to(&s.id.value)))
                    .map(|s| s.id.value.clone())
            });
            let in_own_model =
                own_model.filter(|&m| page.is_some_and(|p| p.for_model(project.model_at(m).id())));
            match (in_own_model, page, scope.as_deref()) {
                (Some(model), _, scope) => {
                    urls::content_in(project.model_at(model).path_id(), scope, slug)
                }
                (None, Some(page), Some(scope)) => crate::plan::guide_path(
                    project,
                    page,
                    project
                        .scopes()
                        .find(|(_, s)| s.id.value == scope)
                        .map(|(i, _)| i),
                ),
                (None, _, scope) => urls::content(scope, slug),
            }
        };
        let rewritten = rewrite(dest, &self.root, &page_for, self.content_slug.as_deref());
        self.links.push((rewritten.clone(), span));
        rewritten
    }

    fn unique_id(&mut self, wanted: &str) -> String {
        self.ids.get(wanted)
    }

    fn trust_html(&self) -> bool {
        self.data.project.config.content.trust_html
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }
}
