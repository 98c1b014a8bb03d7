//! The pages of the site and their bodies: home, one RASCI page per deployment, the
//! content pages of each deployment, one page per party, the comparison of deployments,
//! the glossary and the "not found" page. Each kind fills its view (see [`views`]) and
//! renders its template, `pages/<kind>.html`, into the page's body; the layout then
//! wraps the body. The wording of a page (headings, titles of pages built from the
//! data) is its template's, and the table of contents is read from the headings the
//! template wrote, so the two never disagree.

use super::SiteData;
use super::env::PageEnv;
use super::markdown::{self, Origin, TocEntry};
use super::templates::Theme;
use super::urls;
use super::views::{self, LetterView, Link};
use crate::diagnostic::Diagnostic;
use crate::load::content::ContentPage;
use crate::model::Letter;
pub use crate::plan::{Crumb, PageKind};
use crate::plan::{home_crumb, path_of, scope_crumb, sorted_guides};
use crate::source::Span;

/// A page with its body rendered, before the theme lays it out.
#[derive(Debug, Clone)]
pub struct PageOut {
    pub kind: PageKind,
    pub path: String,
    pub title: String,
    /// The heading shown on the page, when it differs from the title.
    pub heading: Option<String>,
    pub description: String,
    pub body: String,
    pub toc: Vec<TocEntry>,
    /// Site paths from the home page down to the page's parent.
    pub crumbs: Vec<Crumb>,
    /// Same page in another deployment: pages sharing a key are switched between.
    pub key: Option<String>,
    pub scope: Option<usize>,
    /// CSS class of the page's layout, e.g. `page-deployment`.
    pub class: &'static str,
    /// Weight and title order in the navigation.
    pub weight: i64,
    pub diagnostics: Vec<Diagnostic>,
    pub links: Vec<(String, Span)>,
    /// Whether search should list the page.
    pub searchable: bool,
}

/// Renders one page's body with its template; an error names the failing template.
pub fn render(data: &SiteData<'_>, theme: &Theme, kind: PageKind) -> Result<PageOut, String> {
    let path = path_of(data.project, data.content, kind);
    let scope = match kind {
        PageKind::Scope(i) | PageKind::Content { scope: Some(i), .. } => Some(i),
        _ => None,
    };
    let mut env = PageEnv::new(data, theme, &path, scope.map(|i| &data.project.scopes[i]));
    let mut out = PageOut {
        kind,
        path: path.clone(),
        title: String::new(),
        heading: None,
        description: String::new(),
        body: String::new(),
        toc: Vec::new(),
        crumbs: vec![home_crumb(&data.project.config.labels)],
        key: None,
        scope,
        class: "page-article",
        weight: 0,
        diagnostics: Vec::new(),
        links: Vec::new(),
        searchable: true,
    };
    match kind {
        PageKind::Home => home(&mut env, &mut out)?,
        PageKind::Scope(i) => deployment(&mut env, &mut out, i)?,
        PageKind::Content { page, .. } => content(&mut env, &mut out, &data.content[page])?,
        PageKind::Party(i) => party(&mut env, &mut out, i)?,
        PageKind::Compare => compare(&mut env, &mut out)?,
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
    let position = |id: &str| body.find(&format!(" id=\"{}\"", super::html::esc(id)));
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
                text: super::html::text_of(&body[start..end]),
            },
        ));
    }
    entries.sort_by_key(|(at, _)| *at);
    entries.into_iter().map(|(_, entry)| entry).collect()
}

fn home(env: &mut PageEnv<'_>, out: &mut PageOut) -> Result<(), String> {
    let data = env.data;
    let project = data.project;
    out.title = project.config.title.value.clone();
    out.description = project
        .config
        .description
        .as_ref()
        .map(|d| d.value.clone())
        .unwrap_or_default();
    out.crumbs.clear();
    out.class = "page-home";
    // The deployments come first: most readers arrive to find their deployment's table.
    let deployments_id = env.id("deployments");
    let mut deployments = Vec::new();
    for (scope, matrix) in project.scopes.iter().zip(data.matrices) {
        let description = match &scope.description {
            Some(d) => super::html::text_of(&env.inline(&d.value, d.span)),
            None => String::new(),
        };
        let guides = data
            .content
            .iter()
            .filter(|p| !p.is_home() && p.applies_to(&scope.id.value))
            .count();
        deployments.push(views::DeploymentCard {
            href: env.url(&urls::scope(&scope.id.value)),
            name: scope.name.value.clone(),
            description,
            tasks: matrix.row_count(),
            guides,
        });
    }
    let mut written = Vec::new();
    let mut content_html = String::new();
    if let Some(index) = data.content.iter().find(|p| p.is_home()) {
        let rendered = render_content(env, index);
        if !index.front.title.value.is_empty() {
            out.title = index.front.title.value.clone();
        }
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
        content_html,
        compare_href: (project.scopes.len() > 1).then(|| env.url(urls::COMPARE)),
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

const HOME: &str = "pages/home.html";
const DEPLOYMENT: &str = "pages/deployment.html";
const CONTENT: &str = "pages/content.html";
const PARTY: &str = "pages/party.html";
const COMPARE: &str = "pages/compare.html";
const GLOSSARY: &str = "pages/glossary.html";
const NOT_FOUND: &str = "pages/404.html";

fn deployment(env: &mut PageEnv<'_>, out: &mut PageOut, index: usize) -> Result<(), String> {
    let data = env.data;
    let project = data.project;
    let scope = &project.scopes[index];
    let matrix = &data.matrices[index];
    out.key = Some("rasci".into());
    out.class = "page-deployment";
    out.weight = i64::MIN;
    let description_html = scope.description.as_ref().map(|d| {
        let text = env.inline(&d.value, d.span);
        text.trim_end_matches('.').to_string() + "."
    });
    let summaries_id = (!project.summaries.is_empty()).then(|| env.id("responsibility-summaries"));
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
        .filter(|f| views::shows_in(&f.scopes, Some(scope)))
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
    let view = views::DeploymentView {
        scope: views::ScopeView {
            id: scope.id.value.clone(),
            name: scope.name.value.clone(),
            description_html,
        },
        party_names: project
            .parties
            .iter()
            .map(|p| p.name.value.clone())
            .collect(),
        task_count: matrix.row_count(),
        party_count: project.parties.len(),
        section_count: matrix.sections.len(),
        summaries_id,
        summaries,
        table_id,
        legend_id,
        csv_href: env.url(&urls::download(&scope.id.value, "csv")),
        json_href: env.url(&urls::download(&scope.id.value, "json")),
        xlsx_href: env.url(&urls::download(&scope.id.value, "xlsx")),
        matrix: matrix_view,
        systems_id,
        systems,
        flows,
        guidance_id,
        guides,
    };
    out.title = env.theme.render_text(DEPLOYMENT, "title", &view)?;
    out.description = env.theme.render_text(DEPLOYMENT, "description", &view)?;
    out.body = env.theme.render_block(DEPLOYMENT, "body", &view)?;
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
    out.title = page.front.title.value.clone();
    out.description = page
        .front
        .description
        .as_ref()
        .map(|d| d.value.clone())
        .unwrap_or_default();
    out.key = Some(format!("content:{}", page.slug));
    out.weight = page.front.weight.unwrap_or(0);
    if let Some(scope) = env.scope {
        out.crumbs.push(scope_crumb(scope));
    }
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
    out.title = party.name.value.clone();
    out.class = "page-party";
    let description_html = party
        .description
        .as_ref()
        .map(|d| env.inline(&d.value, d.span));
    if let Some(text) = &description_html {
        out.description = super::html::text_of(text);
    }
    // How many tasks in each letter, per deployment, as a compact overview.
    let overview = data
        .matrices
        .iter()
        .map(|matrix| views::CountsRow {
            href: env.url(&urls::scope(&matrix.scope.id.value)),
            name: matrix.scope.name.value.clone(),
            model_name: None,
            counts: Letter::ALL
                .into_iter()
                .map(|letter| {
                    matrix
                        .rows()
                        .filter(|r| r.letters(index).contains(letter))
                        .count()
                })
                .collect(),
        })
        .collect();
    let summaries = views::summaries_where(env, 2, &|s| s.party.value == party.id.value);
    let mut deployments = Vec::new();
    for (scope, matrix) in project.scopes.iter().zip(data.matrices) {
        let heading_id = env.id(&format!("in-{}", scope.id.value));
        deployments.push(views::PartyDeployment {
            heading_id,
            level: 2,
            name: scope.name.value.clone(),
            duties: views::duties(env, party, matrix, &urls::scope(&scope.id.value), 3),
        });
    }
    let view = views::PartyView {
        name: party.name.value.clone(),
        description_html,
        overview,
        has_models: false,
        models: vec![views::PartyModel {
            heading_id: None,
            name: None,
            summaries,
            deployments,
        }],
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

fn compare(env: &mut PageEnv<'_>, out: &mut PageOut) -> Result<(), String> {
    let data = env.data;
    let project = data.project;
    out.class = "page-compare";
    // Tasks in order of first appearance across the deployments.
    let mut tasks: Vec<(&str, &str)> = Vec::new();
    for matrix in data.matrices {
        for row in matrix.rows() {
            if !tasks.iter().any(|(id, _)| *id == row.task.id.value) {
                tasks.push((&row.task.id.value, &row.task.title.value));
            }
        }
    }
    let mut differ_count = 0;
    let mut only_count = 0;
    let mut rows = Vec::new();
    for (task, title) in &tasks {
        let cells: Vec<Option<Vec<crate::model::LetterSet>>> = data
            .matrices
            .iter()
            .map(|m| {
                m.rows()
                    .find(|r| r.task.id.value == *task)
                    .map(|r| (0..project.parties.len()).map(|i| r.letters(i)).collect())
            })
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
        rows.push(views::CompareRow {
            title: title.to_string(),
            status,
            present_in: project
                .scopes
                .iter()
                .zip(&cells)
                .filter(|(_, c)| c.is_some())
                .map(|(s, _)| s.name.value.clone())
                .collect(),
            cells: cells
                .iter()
                .zip(&project.scopes)
                .map(|(letters, scope)| views::CompareCell {
                    scope_name: scope.name.value.clone(),
                    letters: letters.as_ref().map(|sets| {
                        sets.iter()
                            .map(|set| set.iter().map(LetterView::of).collect())
                            .collect()
                    }),
                })
                .collect(),
        });
    }
    let table_id = env.id("side-by-side");
    let legend_id = env.id("legend");
    let mut view = views::CompareView {
        description: String::new(),
        scopes: project
            .scopes
            .iter()
            .map(|scope| Link {
                name: scope.name.value.clone(),
                href: env.url(&urls::scope(&scope.id.value)),
            })
            .collect(),
        parties: project
            .parties
            .iter()
            .map(|p| p.name.value.clone())
            .collect(),
        party_count: project.parties.len(),
        task_count: tasks.len(),
        only_count,
        differ_count,
        table_id,
        legend_id,
        rows,
    };
    out.title = env.theme.render_text(COMPARE, "title", &view)?;
    out.description = env.theme.render_text(COMPARE, "description", &view)?;
    view.description = out.description.clone();
    out.body = env.theme.render_block(COMPARE, "body", &view)?;
    out.toc = toc_of(&out.body, &[&view.table_id, &view.legend_id], Vec::new());
    Ok(())
}

fn glossary(env: &mut PageEnv<'_>, out: &mut PageOut) -> Result<(), String> {
    let project = env.data.project;
    out.class = "page-glossary";
    env.marker.disable();
    let mut terms: Vec<&crate::model::Term> = project.glossary.iter().collect();
    terms.sort_by_key(|t| t.term.value.to_lowercase());
    let mut view = views::GlossaryView {
        description: String::new(),
        terms: Vec::new(),
    };
    for term in terms {
        let id = env.id(&super::glossary::term_anchor(&term.term.value));
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
    out.title = env.theme.render_text(GLOSSARY, "title", &view)?;
    out.description = env.theme.render_text(GLOSSARY, "description", &view)?;
    view.description = out.description.clone();
    out.body = env.theme.render_block(GLOSSARY, "body", &view)?;
    Ok(())
}

fn not_found(env: &mut PageEnv<'_>, out: &mut PageOut) -> Result<(), String> {
    out.class = "page-404";
    out.searchable = false;
    out.title = env
        .theme
        .render_text(NOT_FOUND, "title", &views::Empty {})?;
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
