//! The pages of the site and their bodies: home, one RASCI page per scope (per
//! operating model and scope, in a project with models), the content pages of each
//! scope, one page per party, the comparison of scopes (of each model's), the
//! comparison of two models for one scope, the glossary and the "not found" page. Each kind fills its view (see [`views`]) and
//! renders its template, `pages/<kind>.html`, into the page's body; the layout then
//! wraps the body. The wording of a page (headings, titles of pages built from the
//! data) is its template's, and the table of contents is read from the headings the
//! template wrote, so the two never disagree.

use super::compare;
use super::data::SiteData;
use super::env::PageEnv;
use super::markdown::{self, Origin, TocEntry};
use super::out::{PageOut, toc_of};
use super::page_views;
use super::templates::{RenderError, Theme};
use super::views;
use super::{agreements, duties};
use crate::load::content::ContentPage;
use crate::model::{Letter, ModelIx, ScopeIx};
use crate::plan::{ModelPair, PageKind, PlannedPage, path_of, urls};

/// The CSS class of a page kind's layout, e.g. `page-deployment`.
pub(crate) fn class(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Home => "page-home",
        PageKind::Scope { .. } => "page-deployment",
        PageKind::Content { .. } => "page-article",
        PageKind::Party(_) => "page-party",
        PageKind::Compare { .. } => "page-compare",
        PageKind::CompareModels { .. } => "page-compare page-compare-models",
        PageKind::Guides { .. } => "page-guides",
        PageKind::Glossary => "page-glossary",
        PageKind::Framework(_) => "page-framework",
        PageKind::NotFound => "page-404",
        PageKind::Changes => "page-changes",
    }
}

/// Whether search and the sitemap list pages of the kind: all but the page for a
/// missing address.
pub(crate) fn searchable(kind: PageKind) -> bool {
    kind != PageKind::NotFound
}

/// Renders one planned page's body with its template; an error names the failing
/// template.
pub(crate) fn render(
    data: &SiteData<'_>,
    theme: &Theme,
    planned: &PlannedPage,
) -> Result<PageOut, RenderError> {
    let kind = planned.kind;
    let scope = planned.scope.map(|i| data.project.scope_at(i));
    let mut env = PageEnv::new(data, theme, &planned.path, scope);
    env.model = planned.model;
    let mut out = PageOut {
        title: None,
        heading: None,
        description: String::new(),
        body: String::new(),
        toc: Vec::new(),
        diagnostics: Vec::new(),
        links: Vec::new(),
    };
    match kind {
        PageKind::Home => home(&mut env, &mut out)?,
        PageKind::Scope { model, scope } => scope_page(&mut env, &mut out, model, scope)?,
        PageKind::Content { page, .. } => content(&mut env, &mut out, &data.content[page])?,
        PageKind::Party(i) => party(&mut env, &mut out, i)?,
        PageKind::Compare { model } => compare::compare(&mut env, &mut out, model)?,
        PageKind::CompareModels {
            scope,
            first,
            second,
        } => compare::compare_models(&mut env, &mut out, scope, [first, second])?,
        PageKind::Guides { scope, page } => {
            // The first page of the guides is the scope's RASCI page its breadcrumb names.
            let first = planned.crumbs.last().map_or(urls::HOME, |c| c.url.as_str());
            super::guides::guides_page(&mut env, &mut out, scope, page, first)?;
        }
        PageKind::Glossary => glossary(&mut env, &mut out)?,
        PageKind::Framework(i) => super::frameworks::framework(&mut env, &mut out, i)?,
        PageKind::NotFound => not_found(&mut env, &mut out)?,
        PageKind::Changes => super::changes::page(&mut env, &mut out)?,
    }
    if let Some(message) = env.template_error.take() {
        return Err(message);
    }
    out.body = env.marker.define_once(std::mem::take(&mut out.body));
    out.diagnostics = std::mem::take(&mut env.diagnostics);
    out.links = std::mem::take(&mut env.links);
    Ok(out)
}

fn home(env: &mut PageEnv<'_>, out: &mut PageOut) -> Result<(), RenderError> {
    let data = env.data;
    let project = data.project;
    out.description = project
        .config
        .description
        .as_ref()
        .map(|d| d.value.clone())
        .unwrap_or_default();
    // The scopes come first: most readers arrive to find their scope's table.
    let scopes_id = env.id("deployments");
    let mut scopes = Vec::new();
    let grid = if project.has_models() {
        Some(model_grid(env))
    } else {
        for (scope, matrix) in project.scopes.iter().zip(data.matrices) {
            let description = match &scope.description {
                Some(d) => crate::load::markdown::text_of(&env.inline(&d.value, d.span)),
                None => String::new(),
            };
            scopes.push(page_views::ScopeCard {
                href: env.url(&urls::scope(&scope.id.value)),
                name: scope.name.value.clone(),
                description,
                tasks: matrix.row_count(),
                guides: guide_count(data, scope),
            });
        }
        None
    };
    let mut written = Vec::new();
    let mut content_html = String::new();
    if let Some(index) = data.content.iter().find(|p| p.is_home()) {
        let rendered = render_content(env, index);
        if let Some(d) = &index.front.description {
            out.description = d.value.clone();
        }
        content_html = rendered.html;
        written = rendered.toc;
        out.heading = rendered.h1;
    }
    let reference_id = env.id("reference");
    let view = page_views::HomeView {
        scopes_id,
        reference_id,
        scopes,
        grid,
        content_html,
        compare_href: (!project.has_models() && project.scopes.len() > 1)
            .then(|| env.url(urls::COMPARE)),
        parties: project
            .parties
            .iter()
            .map(|party| page_views::PartyCard {
                href: env.url(&urls::party(&party.id.value)),
                name: party.name.value.clone(),
                description: party.description.as_ref().map(|d| d.value.clone()),
            })
            .collect(),
        glossary_href: env.url(urls::GLOSSARY),
        frameworks: project
            .frameworks
            .iter()
            .map(|f| views::Link {
                name: f.name.value.clone(),
                href: env.url(&urls::framework(&f.id.value)),
            })
            .collect(),
    };
    out.body = env.theme.render_block(HOME, "body", &view)?;
    out.toc = toc_of(&out.body, &[&view.scopes_id, &view.reference_id], written);
    Ok(())
}

/// Number of content pages a scope shows.
fn guide_count(data: &SiteData<'_>, scope: &crate::model::Scope) -> usize {
    data.content
        .iter()
        .filter(|p| !p.is_home() && p.applies_to(&scope.id.value))
        .count()
}

/// The home page's grid of a project with models: a row per model, a column per
/// scope, a cell linking to the model's page for the scope (or saying that the
/// model does not cover it), and a last row of the comparisons of models per scope.
fn model_grid(env: &mut PageEnv<'_>) -> page_views::ModelGrid {
    let data = env.data;
    let project = data.project;
    let scopes = project
        .scopes
        .iter()
        .map(|scope| page_views::GridScope {
            name: scope.name.value.clone(),
            guides: guide_count(data, scope),
        })
        .collect();
    let mut rows = Vec::new();
    for (model, def) in project.models() {
        let id = env.id(&crate::plan::model_anchor(project, model));
        let cells = project
            .scopes()
            .map(|(scope, _)| page_views::GridCell {
                scope_name: project.scope_at(scope).name.value.clone(),
                page: data
                    .matrix(model, scope)
                    .map(|matrix| page_views::GridLink {
                        href: env.url(&data.scope_path(model, scope)),
                        tasks: matrix.row_count(),
                        parties: matrix.parties.len(),
                    }),
            })
            .collect();
        let description = match def.def.as_ref().and_then(|d| d.description.as_ref()) {
            Some(d) => crate::load::markdown::text_of(&env.inline(&d.value, d.span)),
            None => String::new(),
        };
        rows.push(page_views::GridRow {
            id,
            name: def.name().unwrap_or_default().to_string(),
            description,
            cells,
        });
    }
    let mut comparisons: Vec<page_views::GridComparisons> = project
        .scopes
        .iter()
        .map(|scope| page_views::GridComparisons {
            scope_name: scope.name.value.clone(),
            links: Vec::new(),
        })
        .collect();
    for ModelPair {
        scope,
        first,
        second,
    } in crate::plan::model_pairs(project)
    {
        let path = path_of(
            project,
            data.content,
            PageKind::CompareModels {
                scope,
                first,
                second,
            },
        );
        let name = |m: ModelIx| project.model_at(m).name().unwrap_or_default().to_string();
        comparisons[scope.0].links.push(page_views::GridCompare {
            name: crate::plan::compare_pair_name(project, first, second),
            first: name(first),
            second: name(second),
            href: env.url(&path),
        });
    }
    page_views::ModelGrid {
        scopes,
        rows,
        any_comparison: comparisons.iter().any(|cell| !cell.links.is_empty()),
        comparisons,
    }
}

const HOME: &str = "pages/home.html";
const SCOPE: &str = "pages/scope.html";
const CONTENT: &str = "pages/content.html";
const PARTY: &str = "pages/party.html";
const GLOSSARY: &str = "pages/glossary.html";
const NOT_FOUND: &str = "pages/404.html";

fn scope_page(
    env: &mut PageEnv<'_>,
    out: &mut PageOut,
    model: ModelIx,
    index: ScopeIx,
) -> Result<(), RenderError> {
    let data = env.data;
    let project = data.project;
    let scope = project.scope_at(index);
    let matrix = data.matrix(model, index).ok_or_else(|| {
        RenderError::other(format!("no table of `{}` was resolved", scope.id.value))
    })?;
    let model_id = project.model_at(model).path_id();
    let description_html = scope.description.as_ref().map(|d| {
        let text = env.inline(&d.value, d.span);
        text.trim_end_matches('.').to_string() + "."
    });
    let model_view = project
        .model_at(model)
        .def
        .as_ref()
        .map(|def| page_views::ModelView {
            id: def.id.value.clone(),
            name: def.name.value.clone(),
            // One sentence of the model note: it ends in exactly one full stop.
            description_html: def.description.as_ref().map(|d| {
                let text = env.inline(&d.value, d.span);
                text.trim_end_matches('.').to_string() + "."
            }),
        });
    let summaries_id = project
        .summaries
        .iter()
        .any(|s| s.model == model)
        .then(|| env.id("responsibility-summaries"));
    let summaries = if summaries_id.is_some() {
        views::summaries(env, 3)
    } else {
        Vec::new()
    };
    let table_id = env.id("rasci-table");
    // Table and legend stay together: printed, they share one landscape page.
    let matrix_view = views::matrix(env, matrix);
    let legend_id = env.id("legend");
    let changed = agreements::changed(env, matrix);
    let (systems_id, systems) = if project.systems.iter().any(|s| {
        views::shows_in(&s.scopes, Some(scope)) && s.in_model(project.model_at(model).id())
    }) {
        let id = env.id("systems-overview");
        (Some(id), Some(views::systems(env)))
    } else {
        (None, None)
    };
    let mut flows = Vec::new();
    for flow in project
        .flows
        .iter()
        .filter(|f| f.model == model && views::shows_in(&f.scopes, Some(scope)))
    {
        let heading_id = env.id(&data.flow_anchor(flow));
        flows.push(views::flow(env, flow, heading_id));
    }
    let own_path = path_of(
        project,
        data.content,
        PageKind::Scope {
            model,
            scope: index,
        },
    );
    let (guides, guide_count, guide_pages) =
        super::guides::guide_list(env, index, model, 1, &own_path);
    let guidance_id = (!guides.is_empty()).then(|| env.id("guidance"));
    // The other models that cover this scope, each with its comparison to this one.
    let comparisons = crate::plan::model_pairs(project)
        .into_iter()
        .filter(|pair| pair.scope == index && (pair.first == model || pair.second == model))
        .map(
            |ModelPair {
                 scope,
                 first,
                 second,
             }| {
                let other = if first == model { second } else { first };
                views::Link {
                    name: project
                        .model_at(other)
                        .name()
                        .unwrap_or_default()
                        .to_string(),
                    href: env.url(&path_of(
                        project,
                        data.content,
                        PageKind::CompareModels {
                            scope,
                            first,
                            second,
                        },
                    )),
                }
            },
        )
        .collect();
    let view = page_views::ScopePageView {
        scope: page_views::ScopeView {
            id: scope.id.value.clone(),
            name: scope.name.value.clone(),
            description_html,
        },
        subtitle: project.config.subtitle.as_ref().map(|s| s.value.clone()),
        contact: project
            .config
            .branding
            .contact
            .as_ref()
            .map(|(title, text, link)| page_views::ContactView {
                title: title.clone(),
                text: text.clone(),
                link: link.as_ref().map(|(name, href)| views::Link {
                    name: name.clone(),
                    href: href.clone(),
                }),
            }),
        model: model_view,
        agreement: agreements::agreement(project, model),
        comparisons,
        party_names: matrix
            .parties
            .iter()
            .map(|&p| project.parties[p].name.value.clone())
            .collect(),
        task_count: matrix.row_count(),
        party_count: matrix.parties.len(),
        section_count: matrix.sections.len(),
        summaries_id,
        summaries,
        table_id,
        legend_id,
        csv_href: env.url(&urls::download(model_id, &scope.id.value, "csv")),
        json_href: env.url(&urls::download(model_id, &scope.id.value, "json")),
        xlsx_href: env.url(&urls::download(model_id, &scope.id.value, "xlsx")),
        matrix: matrix_view,
        changed,
        systems_id,
        systems,
        flows,
        guidance_id,
        guides,
        guide_count,
        guide_pages,
    };
    let titled = env.theme.render_titled(SCOPE, &view)?;
    (out.title, out.description, out.body) = (Some(titled.title), titled.description, titled.body);
    let mut ids: Vec<&str> = Vec::new();
    ids.extend(view.summaries_id.as_deref());
    ids.extend(view.summaries.iter().map(|s| s.id.as_str()));
    ids.push(&view.table_id);
    ids.push(&view.legend_id);
    ids.extend(view.changed.as_ref().map(|c| c.heading_id.as_str()));
    ids.extend(view.systems_id.as_deref());
    ids.extend(view.flows.iter().map(|f| f.heading_id.as_str()));
    ids.extend(view.guidance_id.as_deref());
    out.toc = toc_of(&out.body, &ids, Vec::new());
    Ok(())
}

fn render_content(env: &mut PageEnv<'_>, page: &ContentPage) -> markdown::Rendered {
    env.content_slug = Some(page.slug.clone());
    let project = env.data.project;
    // The readers' model: the page's own; the home page, shared by every model, shows
    // the passages of the default model, whose pages keep the plain addresses.
    let model = match env.model {
        Some(model) => project.model_at(model).id(),
        None => project
            .models
            .iter()
            .find(|m| m.is_default)
            .and_then(|m| m.id()),
    };
    let text = page.body_in(&project.sources, model);
    markdown::render(
        &text,
        Origin::File {
            file: page.file,
            offset: page.body_start,
        },
        env,
    )
}

fn content(
    env: &mut PageEnv<'_>,
    out: &mut PageOut,
    page: &ContentPage,
) -> Result<(), RenderError> {
    out.description = page
        .front
        .description
        .as_ref()
        .map(|d| d.value.clone())
        .unwrap_or_default();
    let rendered = render_content(env, page);
    out.toc = rendered.toc;
    out.heading = rendered.h1;
    let view = page_views::ContentView {
        content_html: rendered.html,
    };
    out.body = env.theme.render_block(CONTENT, "body", &view)?;
    Ok(())
}

fn party(env: &mut PageEnv<'_>, out: &mut PageOut, index: usize) -> Result<(), RenderError> {
    let data = env.data;
    let project = data.project;
    let party = &project.parties[index];
    let has_models = project.has_models();
    let description_html = party
        .description
        .as_ref()
        .map(|d| env.inline(&d.value, d.span));
    if let Some(text) = &description_html {
        out.description = crate::load::markdown::text_of(text);
    }
    // The models the party takes part in: every model of a project with models that
    // lists it, the implicit model (all parties) otherwise.
    let models: Vec<ModelIx> = project
        .models()
        .filter(|(_, m)| m.has_party(index))
        .map(|(m, _)| m)
        .collect();
    // How many tasks in each letter, per model and scope, as a compact overview.
    let mut overview = Vec::new();
    for &model in &models {
        for &scope in &project.model_at(model).scopes {
            let Some(matrix) = data.matrix(model, scope) else {
                continue;
            };
            overview.push(page_views::CountsRow {
                href: env.url(&data.matrix_path(matrix)),
                name: matrix.scope.name.value.clone(),
                model_name: project.model_at(model).name().map(str::to_string),
                counts: Letter::ALL
                    .into_iter()
                    .map(|letter| {
                        matrix
                            .rows()
                            .filter(|r| r.letters(index).contains(letter))
                            .count()
                    })
                    .collect(),
            });
        }
    }
    // Under a heading per model, the headings of scopes and groups go one down.
    let depth = u8::from(has_models);
    let mut sections = Vec::new();
    for &model in &models {
        let def = project.model_at(model);
        let heading_id = def
            .id()
            .map(|_| env.id(&crate::plan::model_anchor(project, model)));
        let mut summaries = views::summaries_where(env, 2 + depth, &|s| {
            s.model == model && s.party.value == party.id.value
        });
        for summary in &mut summaries {
            summary.context_id.clone_from(&heading_id);
        }
        let mut scopes = Vec::new();
        for &scope in &def.scopes {
            let Some(matrix) = data.matrix(model, scope) else {
                continue;
            };
            let scope_id = &project.scope_at(scope).id.value;
            let heading_id = env.id(&match def.id() {
                Some(model_id) => format!("in-{model_id}-{scope_id}"),
                None => format!("in-{scope_id}"),
            });
            let mut duties =
                duties::duties(env, party, matrix, &data.matrix_path(matrix), 3 + depth);
            duties.model_name = def.name().map(str::to_string);
            scopes.push(page_views::PartyScope {
                heading_id,
                level: 2 + depth,
                name: project.scope_at(scope).name.value.clone(),
                duties,
            });
        }
        sections.push(page_views::PartyModel {
            heading_id,
            name: def.name().map(str::to_string),
            summaries,
            scopes,
        });
    }
    let view = page_views::PartyView {
        name: party.name.value.clone(),
        description_html,
        overview,
        has_models,
        models: sections,
    };
    out.body = env.theme.render_block(PARTY, "body", &view)?;
    let mut ids: Vec<&str> = Vec::new();
    for model in &view.models {
        ids.extend(model.heading_id.as_deref());
        ids.extend(model.summaries.iter().map(|s| s.id.as_str()));
        ids.extend(model.scopes.iter().map(|d| d.heading_id.as_str()));
    }
    out.toc = toc_of(&out.body, &ids, Vec::new());
    Ok(())
}

fn glossary(env: &mut PageEnv<'_>, out: &mut PageOut) -> Result<(), RenderError> {
    let project = env.data.project;
    env.marker.disable();
    let mut terms: Vec<&crate::model::Term> = project.glossary.iter().collect();
    terms.sort_by_key(|t| t.term.value.to_lowercase());
    let mut view = page_views::GlossaryView {
        description: String::new(),
        terms: Vec::new(),
    };
    for term in terms {
        let id = env.id(&crate::load::ids::term_anchor(&term.term.value));
        // A term is data, not wording of the template: it names its entry in the contents.
        out.toc.push(TocEntry {
            level: 2,
            id: id.clone(),
            text: term.term.value.clone(),
        });
        let definition_html = env.inline(&term.definition.value, term.definition.span);
        view.terms.push(page_views::TermView {
            id,
            term: term.term.value.clone(),
            definition_html,
            aliases: term.aliases.iter().map(|a| a.value.clone()).collect(),
            source: term.source.as_ref().map(|s| s.value.clone()),
        });
    }
    out.title = Some(env.theme.render_text(GLOSSARY, "title", &view)?);
    out.description = env.theme.render_text(GLOSSARY, "description", &view)?;
    view.description = out.description.clone();
    out.body = env.theme.render_block(GLOSSARY, "body", &view)?;
    Ok(())
}

fn not_found(env: &mut PageEnv<'_>, out: &mut PageOut) -> Result<(), RenderError> {
    out.title = Some(
        env.theme
            .render_text(NOT_FOUND, "title", &views::Empty {})?,
    );
    out.body = env
        .theme
        .render_block(NOT_FOUND, "body", &views::Empty {})?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contents_list_the_headings_the_template_wrote_in_page_order() {
        let body = "<section aria-labelledby=\"s\"><h3 id=\"s\">Who &amp; why<a class=\"anchor\" href=\"#s\"></a></h3></section>\
                    <h2 id=\"md\">From Markdown</h2>\
                    <table id=\"t\"></table>\
                    <h2 id=\"a\">First <em>one</em></h2>";
        let written = vec![TocEntry {
            level: 2,
            id: "md".into(),
            text: "From Markdown".into(),
        }];
        let toc = toc_of(body, &["a", "gone", "t", "s"], written);
        let listed: Vec<(u8, &str, &str)> = toc
            .iter()
            .map(|e| (e.level, e.id.as_str(), e.text.as_str()))
            .collect();
        // `gone` is not on the page and `t` is no heading: neither is listed.
        assert_eq!(
            listed,
            [
                (3, "s", "Who & why"),
                (2, "md", "From Markdown"),
                (2, "a", "First one"),
            ]
        );
    }
}
