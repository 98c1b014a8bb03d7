//! The pages of the site and their bodies: home, one RASCI page per deployment (per
//! operating model and deployment, in a project with models), the content pages of each
//! deployment, one page per party, the comparison of deployments (of each model's), the
//! comparison of two models for one deployment, the glossary and the "not found" page. Each kind fills its view (see [`views`]) and
//! renders its template, `pages/<kind>.html`, into the page's body; the layout then
//! wraps the body. The wording of a page (headings, titles of pages built from the
//! data) is its template's, and the table of contents is read from the headings the
//! template wrote, so the two never disagree.

use super::data::SiteData;
use super::env::PageEnv;
use super::letters::LetterView;
use super::markdown::{self, Origin, TocEntry};
use super::templates::Theme;
use super::views::{self, Link};
use crate::diagnostic::Diagnostic;
use crate::load::content::ContentPage;
use crate::model::Letter;
use crate::plan::{PageKind, PlannedPage, path_of, sorted_guides, urls};
use crate::source::Span;

/// What rendering a planned page learns: its body and what is read from it. Where the
/// page lives, its deployment, model, key and breadcrumb are the plan's
/// ([`PlannedPage`]), never repeated here.
#[derive(Debug, Clone)]
pub struct PageOut {
    /// The title the page's template gave it (a deployment page, the comparisons, the
    /// glossary, the page for a missing address); `None` where the plan's title is the
    /// page's (see [`PageOut::title`]).
    pub title: Option<String>,
    /// The heading shown on the page, when it differs from the title.
    pub heading: Option<String>,
    pub description: String,
    pub body: String,
    pub toc: Vec<TocEntry>,
    pub diagnostics: Vec<Diagnostic>,
    pub links: Vec<(String, Span)>,
}

impl PageOut {
    /// The page's title: its template's, else the plan's.
    pub fn title<'a>(&'a self, planned: &'a PlannedPage) -> &'a str {
        self.title.as_deref().unwrap_or(&planned.title)
    }
}

/// The CSS class of a page kind's layout, e.g. `page-deployment`.
pub fn class(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Home => "page-home",
        PageKind::Scope { .. } => "page-deployment",
        PageKind::Content { .. } => "page-article",
        PageKind::Party(_) => "page-party",
        PageKind::Compare { .. } => "page-compare",
        PageKind::CompareModels { .. } => "page-compare page-compare-models",
        PageKind::Glossary => "page-glossary",
        PageKind::NotFound => "page-404",
    }
}

/// Whether search and the sitemap list pages of the kind: all but the page for a
/// missing address.
pub fn searchable(kind: PageKind) -> bool {
    kind != PageKind::NotFound
}

/// Renders one planned page's body with its template; an error names the failing
/// template.
pub fn render(
    data: &SiteData<'_>,
    theme: &Theme,
    planned: &PlannedPage,
) -> Result<PageOut, String> {
    let kind = planned.kind;
    let scope = planned.scope.map(|i| &data.project.scopes[i]);
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
        PageKind::Scope { model, scope } => deployment(&mut env, &mut out, model, scope)?,
        PageKind::Content { page, .. } => content(&mut env, &mut out, &data.content[page])?,
        PageKind::Party(i) => party(&mut env, &mut out, i)?,
        PageKind::Compare { model } => compare(&mut env, &mut out, model)?,
        PageKind::CompareModels {
            scope,
            first,
            second,
        } => compare_models(&mut env, &mut out, scope, [first, second])?,
        PageKind::Glossary => glossary(&mut env, &mut out)?,
        PageKind::NotFound => not_found(&mut env, &mut out)?,
    }
    if let Some(message) = env.template_error.take() {
        return Err(message);
    }
    out.diagnostics = std::mem::take(&mut env.diagnostics);
    out.links = std::mem::take(&mut env.links);
    Ok(out)
}

/// The table of contents of a rendered body: the headings with the ids in `ids` that
/// the template wrote (one it left out is not listed), and `written`, the headings of
/// Markdown in the body, all in the order they appear.
fn toc_of(body: &str, ids: &[&str], written: Vec<TocEntry>) -> Vec<TocEntry> {
    let position = |id: &str| body.find(&format!(" id=\"{}\"", crate::escape::esc(id)));
    let mut entries: Vec<(usize, TocEntry)> = written
        .into_iter()
        .map(|entry| (position(&entry.id).unwrap_or(usize::MAX), entry))
        .collect();
    for id in ids {
        let Some(at) = position(id) else { continue };
        let Some(open) = body[..at].rfind('<') else {
            continue;
        };
        let tag = &body[open + 1..at];
        let level = match tag.as_bytes() {
            [b'h', digit @ b'1'..=b'6'] => digit - b'0',
            _ => continue,
        };
        let Some(start) = body[at..].find('>').map(|i| at + i + 1) else {
            continue;
        };
        let close = format!("</h{level}>");
        let Some(end) = body[start..].find(&close).map(|i| start + i) else {
            continue;
        };
        entries.push((
            at,
            TocEntry {
                level,
                id: id.to_string(),
                text: crate::load::markdown::text_of(&body[start..end]),
            },
        ));
    }
    entries.sort_by_key(|(at, _)| *at);
    entries.into_iter().map(|(_, entry)| entry).collect()
}

fn home(env: &mut PageEnv<'_>, out: &mut PageOut) -> Result<(), String> {
    let data = env.data;
    let project = data.project;
    out.description = project
        .config
        .description
        .as_ref()
        .map(|d| d.value.clone())
        .unwrap_or_default();
    // The deployments come first: most readers arrive to find their deployment's table.
    let deployments_id = env.id("deployments");
    let mut deployments = Vec::new();
    let grid = if project.has_models() {
        Some(model_grid(env))
    } else {
        for (scope, matrix) in project.scopes.iter().zip(data.matrices) {
            let description = match &scope.description {
                Some(d) => crate::load::markdown::text_of(&env.inline(&d.value, d.span)),
                None => String::new(),
            };
            deployments.push(views::DeploymentCard {
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
    let view = views::HomeView {
        deployments_id,
        reference_id,
        deployments,
        grid,
        content_html,
        compare_href: (!project.has_models() && project.scopes.len() > 1)
            .then(|| env.url(urls::COMPARE)),
        parties: project
            .parties
            .iter()
            .map(|party| views::PartyCard {
                href: env.url(&urls::party(&party.id.value)),
                name: party.name.value.clone(),
                description: party.description.as_ref().map(|d| d.value.clone()),
            })
            .collect(),
        glossary_href: env.url(urls::GLOSSARY),
    };
    out.body = env.theme.render_block(HOME, "body", &view)?;
    out.toc = toc_of(
        &out.body,
        &[&view.deployments_id, &view.reference_id],
        written,
    );
    Ok(())
}

/// Number of content pages a deployment shows.
fn guide_count(data: &SiteData<'_>, scope: &crate::model::Scope) -> usize {
    data.content
        .iter()
        .filter(|p| !p.is_home() && p.applies_to(&scope.id.value))
        .count()
}

/// The home page's grid of a project with models: a row per model, a column per
/// deployment, a cell linking to the model's page for the deployment (or saying that the
/// model does not cover it), and a last row of the comparisons of models per deployment.
fn model_grid(env: &mut PageEnv<'_>) -> views::ModelGrid {
    let data = env.data;
    let project = data.project;
    let scopes = project
        .scopes
        .iter()
        .map(|scope| views::GridScope {
            name: scope.name.value.clone(),
            guides: guide_count(data, scope),
        })
        .collect();
    let mut rows = Vec::new();
    for (model, def) in project.models.iter().enumerate() {
        let id = env.id(&crate::plan::model_anchor(project, model));
        let cells = (0..project.scopes.len())
            .map(|scope| views::GridCell {
                scope_name: project.scopes[scope].name.value.clone(),
                deployment: data.matrix(model, scope).map(|matrix| views::GridLink {
                    href: env.url(&data.deployment_path(model, scope)),
                    tasks: matrix.row_count(),
                    parties: matrix.parties.len(),
                }),
            })
            .collect();
        let description = match def.def.as_ref().and_then(|d| d.description.as_ref()) {
            Some(d) => crate::load::markdown::text_of(&env.inline(&d.value, d.span)),
            None => String::new(),
        };
        rows.push(views::GridRow {
            id,
            name: def.name().unwrap_or_default().to_string(),
            description,
            cells,
        });
    }
    let mut comparisons: Vec<views::GridComparisons> = project
        .scopes
        .iter()
        .map(|scope| views::GridComparisons {
            scope_name: scope.name.value.clone(),
            links: Vec::new(),
        })
        .collect();
    for (scope, first, second) in crate::plan::model_pairs(project) {
        let path = path_of(
            project,
            data.content,
            PageKind::CompareModels {
                scope,
                first,
                second,
            },
        );
        comparisons[scope].links.push(Link {
            name: crate::plan::compare_pair_name(project, first, second),
            href: env.url(&path),
        });
    }
    views::ModelGrid {
        scopes,
        rows,
        any_comparison: comparisons.iter().any(|cell| !cell.links.is_empty()),
        comparisons,
    }
}

const HOME: &str = "pages/home.html";
const DEPLOYMENT: &str = "pages/deployment.html";
const CONTENT: &str = "pages/content.html";
const PARTY: &str = "pages/party.html";
const COMPARE: &str = "pages/compare.html";
const COMPARE_MODELS: &str = "pages/compare_models.html";
const GLOSSARY: &str = "pages/glossary.html";
const NOT_FOUND: &str = "pages/404.html";

fn deployment(
    env: &mut PageEnv<'_>,
    out: &mut PageOut,
    model: usize,
    index: usize,
) -> Result<(), String> {
    let data = env.data;
    let project = data.project;
    let scope = &project.scopes[index];
    let matrix = data
        .matrix(model, index)
        .ok_or_else(|| format!("no table of `{}` was resolved", scope.id.value))?;
    let model_id = project.models[model].id();
    let description_html = scope.description.as_ref().map(|d| {
        let text = env.inline(&d.value, d.span);
        text.trim_end_matches('.').to_string() + "."
    });
    let model_view = project.models[model]
        .def
        .as_ref()
        .map(|def| views::ModelView {
            id: def.id.value.clone(),
            name: def.name.value.clone(),
            description_html: def
                .description
                .as_ref()
                .map(|d| env.inline(&d.value, d.span)),
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
    let (systems_id, systems) = if project
        .systems
        .iter()
        .any(|s| views::shows_in(&s.scopes, Some(scope)))
    {
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
    let guides: Vec<views::GuideLink> =
        sorted_guides(data.content, data.guide_order, Some(&scope.id.value))
            .into_iter()
            .map(|guide| views::GuideLink {
                href: env.url(&urls::content(Some(&scope.id.value), &guide.slug)),
                title: guide.front.title.value.clone(),
                description: guide.front.description.as_ref().map(|d| d.value.clone()),
                featured: guide.front.featured,
            })
            .collect();
    let guidance_id = (!guides.is_empty()).then(|| env.id("guidance"));
    // The other models that cover this deployment, each with its comparison to this one.
    let comparisons = crate::plan::model_pairs(project)
        .into_iter()
        .filter(|&(s, first, second)| s == index && (first == model || second == model))
        .map(|(scope, first, second)| {
            let other = if first == model { second } else { first };
            views::Link {
                name: project.models[other].name().unwrap_or_default().to_string(),
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
        })
        .collect();
    let view = views::DeploymentView {
        scope: views::ScopeView {
            id: scope.id.value.clone(),
            name: scope.name.value.clone(),
            description_html,
        },
        model: model_view,
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
        systems_id,
        systems,
        flows,
        guidance_id,
        guides,
    };
    let titled = env.theme.render_titled(DEPLOYMENT, &view)?;
    (out.title, out.description, out.body) = (Some(titled.title), titled.description, titled.body);
    let mut ids: Vec<&str> = Vec::new();
    ids.extend(view.summaries_id.as_deref());
    ids.extend(view.summaries.iter().map(|s| s.id.as_str()));
    ids.push(&view.table_id);
    ids.push(&view.legend_id);
    ids.extend(view.systems_id.as_deref());
    ids.extend(view.flows.iter().map(|f| f.heading_id.as_str()));
    ids.extend(view.guidance_id.as_deref());
    out.toc = toc_of(&out.body, &ids, Vec::new());
    Ok(())
}

fn render_content(env: &mut PageEnv<'_>, page: &ContentPage) -> markdown::Rendered {
    env.content_slug = Some(page.slug.clone());
    let text = page.body(&env.data.project.sources);
    markdown::render(
        text,
        Origin::File {
            file: page.file,
            offset: page.body_start,
        },
        env,
    )
}

fn content(env: &mut PageEnv<'_>, out: &mut PageOut, page: &ContentPage) -> Result<(), String> {
    out.description = page
        .front
        .description
        .as_ref()
        .map(|d| d.value.clone())
        .unwrap_or_default();
    let rendered = render_content(env, page);
    out.toc = rendered.toc;
    out.heading = rendered.h1;
    let view = views::ContentView {
        content_html: rendered.html,
    };
    out.body = env.theme.render_block(CONTENT, "body", &view)?;
    Ok(())
}

fn party(env: &mut PageEnv<'_>, out: &mut PageOut, index: usize) -> Result<(), String> {
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
    let models: Vec<usize> = (0..project.models.len())
        .filter(|&m| project.models[m].parties.contains(&index))
        .collect();
    // How many tasks in each letter, per model and deployment, as a compact overview.
    let mut overview = Vec::new();
    for &model in &models {
        for &scope in &project.models[model].scopes {
            let Some(matrix) = data.matrix(model, scope) else {
                continue;
            };
            overview.push(views::CountsRow {
                href: env.url(&data.matrix_path(matrix)),
                name: matrix.scope.name.value.clone(),
                model_name: project.models[model].name().map(str::to_string),
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
    // Under a heading per model, the headings of deployments and groups go one down.
    let depth = u8::from(has_models);
    let mut sections = Vec::new();
    for &model in &models {
        let def = &project.models[model];
        let heading_id = def
            .id()
            .map(|_| env.id(&crate::plan::model_anchor(project, model)));
        let mut summaries = views::summaries_where(env, 2 + depth, &|s| {
            s.model == model && s.party.value == party.id.value
        });
        for summary in &mut summaries {
            summary.context_id.clone_from(&heading_id);
        }
        let mut deployments = Vec::new();
        for &scope in &def.scopes {
            let Some(matrix) = data.matrix(model, scope) else {
                continue;
            };
            let scope_id = &project.scopes[scope].id.value;
            let heading_id = env.id(&match def.id() {
                Some(model_id) => format!("in-{model_id}-{scope_id}"),
                None => format!("in-{scope_id}"),
            });
            let mut duties =
                views::duties(env, party, matrix, &data.matrix_path(matrix), 3 + depth);
            duties.model_name = def.name().map(str::to_string);
            deployments.push(views::PartyDeployment {
                heading_id,
                level: 2 + depth,
                name: project.scopes[scope].name.value.clone(),
                duties,
            });
        }
        sections.push(views::PartyModel {
            heading_id,
            name: def.name().map(str::to_string),
            summaries,
            deployments,
        });
    }
    let view = views::PartyView {
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
        ids.extend(model.deployments.iter().map(|d| d.heading_id.as_str()));
    }
    out.toc = toc_of(&out.body, &ids, Vec::new());
    Ok(())
}

fn compare(env: &mut PageEnv<'_>, out: &mut PageOut, model: usize) -> Result<(), String> {
    let data = env.data;
    let project = data.project;
    let def = &project.models[model];
    let matrices: Vec<&crate::resolve::Matrix<'_>> = def
        .scopes
        .iter()
        .filter_map(|&scope| data.matrix(model, scope))
        .collect();
    // Tasks in order of first appearance across the deployments, each with the section
    // it is listed under (a task belongs to one section, whatever the deployment).
    let mut tasks: Vec<(&str, &str, usize)> = Vec::new();
    let mut sections: Vec<&crate::model::Section> = Vec::new();
    for matrix in &matrices {
        for part in &matrix.sections {
            let section = match sections
                .iter()
                .position(|s| s.id.value == part.section.id.value)
            {
                Some(at) => at,
                None => {
                    sections.push(part.section);
                    sections.len() - 1
                }
            };
            for row in &part.rows {
                if !tasks.iter().any(|(id, ..)| *id == row.task.id.value) {
                    tasks.push((&row.task.id.value, &row.task.title.value, section));
                }
            }
        }
    }
    let table_id = env.id("side-by-side");
    let mut section_views: Vec<views::CompareSection> = sections
        .iter()
        .map(|section| views::CompareSection {
            title: section.title.as_ref().map(|t| t.value.clone()),
            heading_id: env.id(&format!("compare-{}", section.id.value)),
            rows: Vec::new(),
        })
        .collect();
    let mut differ_count = 0;
    let mut only_count = 0;
    let mut rows = Vec::new();
    for (task, title, section) in &tasks {
        let found: Vec<Option<&crate::resolve::Row<'_>>> = matrices
            .iter()
            .map(|m| m.rows().find(|r| r.task.id.value == *task))
            .collect();
        // Sets decide whether deployments differ: "A, R" and "R, A" give the same roles.
        let cells: Vec<Option<Vec<crate::model::LetterSet>>> = found
            .iter()
            .map(|row| row.map(|r| def.parties.iter().map(|&i| r.letters(i)).collect()))
            .collect();
        let present: Vec<&Vec<crate::model::LetterSet>> = cells.iter().flatten().collect();
        let status = if present.len() < cells.len() {
            only_count += 1;
            "only"
        } else if present.windows(2).any(|w| w[0] != w[1]) {
            differ_count += 1;
            "differs"
        } else {
            "same"
        };
        let row = views::CompareRow {
            title: title.to_string(),
            status,
            present_in: matrices
                .iter()
                .zip(&cells)
                .filter(|(_, c)| c.is_some())
                .map(|(m, _)| m.scope.name.value.clone())
                .collect(),
            cells: found
                .iter()
                .zip(&matrices)
                .map(|(row, matrix)| views::CompareCell {
                    scope_name: matrix.scope.name.value.clone(),
                    letters: row.map(|row| {
                        let order = project.config.matrix.letter_order;
                        def.parties
                            .iter()
                            .map(|&i| LetterView::cell(row.cells[i], order))
                            .collect()
                    }),
                })
                .collect(),
        };
        section_views[*section].rows.push(row.clone());
        rows.push(row);
    }
    let legend_id = env.id("legend");
    let mut view = views::CompareView {
        description: String::new(),
        model_name: def.name().map(str::to_string),
        scopes: matrices
            .iter()
            .map(|matrix| Link {
                name: matrix.scope.name.value.clone(),
                href: env.url(&data.matrix_path(matrix)),
            })
            .collect(),
        parties: def
            .parties
            .iter()
            .map(|&p| project.parties[p].name.value.clone())
            .collect(),
        party_count: def.parties.len(),
        task_count: tasks.len(),
        only_count,
        differ_count,
        table_id,
        legend_id,
        rows,
        sections: section_views,
    };
    out.title = Some(env.theme.render_text(COMPARE, "title", &view)?);
    out.description = env.theme.render_text(COMPARE, "description", &view)?;
    view.description = out.description.clone();
    out.body = env.theme.render_block(COMPARE, "body", &view)?;
    let mut ids: Vec<&str> = vec![&view.table_id];
    ids.extend(view.sections.iter().map(|s| s.heading_id.as_str()));
    ids.push(&view.legend_id);
    out.toc = toc_of(&out.body, &ids, Vec::new());
    Ok(())
}

/// The letters of one row for the given parties, as the templates show them (in the
/// config's letter order).
fn row_letters(
    row: &crate::resolve::Row<'_>,
    parties: &[usize],
    order: crate::config::LetterOrder,
) -> Vec<Vec<LetterView>> {
    parties
        .iter()
        .map(|&p| LetterView::cell(row.cells[p], order))
        .collect()
}

/// Two operating models side by side for one deployment: the tasks both have (paired by
/// id, as task ids are per model) with their letters next to each other, then the tasks
/// only one of them has. Rows a model's deployment does not show (a task's `scopes:`
/// leaving it out) are not in its matrix, so they are in no list here either.
fn compare_models(
    env: &mut PageEnv<'_>,
    out: &mut PageOut,
    scope: usize,
    pair: [usize; 2],
) -> Result<(), String> {
    let data = env.data;
    let project = data.project;
    let [first, second] = pair.map(|model| {
        data.matrix(model, scope).ok_or_else(|| {
            format!(
                "no table of `{}` was resolved",
                project.scopes[scope].id.value
            )
        })
    });
    let (first, second) = (first?, second?);
    let column = |env: &PageEnv<'_>, matrix: &crate::resolve::Matrix<'_>| views::ModelColumn {
        name: project.models[matrix.model]
            .name()
            .unwrap_or_default()
            .to_string(),
        href: env.url(&data.matrix_path(matrix)),
        parties: matrix
            .parties
            .iter()
            .map(|&p| Link {
                name: project.parties[p].name.value.clone(),
                href: env.url(&urls::party(&project.parties[p].id.value)),
            })
            .collect(),
    };
    let link = |env: &PageEnv<'_>, matrix: &crate::resolve::Matrix<'_>, task: &str| {
        format!(
            "{}#{}",
            env.url(&data.matrix_path(matrix)),
            urls::task_anchor(task)
        )
    };
    let order = project.config.matrix.letter_order;
    let second_rows: std::collections::HashMap<&str, &crate::resolve::Row<'_>> = second
        .rows()
        .map(|row| (row.task.id.value.as_str(), row))
        .collect();
    let first_ids: std::collections::HashSet<&str> =
        first.rows().map(|row| row.task.id.value.as_str()).collect();
    let mut both = Vec::new();
    let mut only_first = Vec::new();
    for row in first.rows() {
        let id = row.task.id.value.as_str();
        match second_rows.get(id) {
            Some(other) => both.push(views::BothRow {
                title: row.task.title.value.clone(),
                first_href: link(env, first, id),
                second_href: link(env, second, id),
                // The same letters for every party, whichever model's columns it is in.
                same: (0..project.parties.len()).all(|p| row.letters(p) == other.letters(p)),
                first: row_letters(row, &first.parties, order),
                second: row_letters(other, &second.parties, order),
            }),
            None => only_first.push(views::OnlyRow {
                title: row.task.title.value.clone(),
                href: link(env, first, id),
                letters: row_letters(row, &first.parties, order),
            }),
        }
    }
    let only_second: Vec<views::OnlyRow> = second
        .rows()
        .filter(|row| !first_ids.contains(row.task.id.value.as_str()))
        .map(|row| views::OnlyRow {
            title: row.task.title.value.clone(),
            href: link(env, second, &row.task.id.value),
            letters: row_letters(row, &second.parties, order),
        })
        .collect();
    let model_id = |m: usize| project.models[m].id().unwrap_or_default();
    let both_id = env.id("in-both");
    let only = vec![
        views::OnlySection {
            id: env.id(&format!("only-{}", model_id(pair[0]))),
            part: "first",
            model: column(env, first),
            rows: only_first,
        },
        views::OnlySection {
            id: env.id(&format!("only-{}", model_id(pair[1]))),
            part: "second",
            model: column(env, second),
            rows: only_second,
        },
    ];
    let mut view = views::CompareModelsView {
        description: String::new(),
        scope_name: project.scopes[scope].name.value.clone(),
        first: column(env, first),
        second: column(env, second),
        both_id,
        legend_id: env.id("legend"),
        differ_count: both.iter().filter(|r| !r.same).count(),
        both,
        only,
    };
    out.title = Some(env.theme.render_text(COMPARE_MODELS, "title", &view)?);
    out.description = env
        .theme
        .render_text(COMPARE_MODELS, "description", &view)?;
    view.description = out.description.clone();
    out.body = env.theme.render_block(COMPARE_MODELS, "body", &view)?;
    let mut ids: Vec<&str> = vec![&view.both_id];
    ids.extend(view.only.iter().map(|o| o.id.as_str()));
    ids.push(&view.legend_id);
    out.toc = toc_of(&out.body, &ids, Vec::new());
    Ok(())
}

fn glossary(env: &mut PageEnv<'_>, out: &mut PageOut) -> Result<(), String> {
    let project = env.data.project;
    env.marker.disable();
    let mut terms: Vec<&crate::model::Term> = project.glossary.iter().collect();
    terms.sort_by_key(|t| t.term.value.to_lowercase());
    let mut view = views::GlossaryView {
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
        view.terms.push(views::TermView {
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

fn not_found(env: &mut PageEnv<'_>, out: &mut PageOut) -> Result<(), String> {
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
