//! The pages of the site and their bodies: home, one RASCI page per deployment, the
//! content pages of each deployment, one page per party, the comparison of deployments,
//! the glossary and the "not found" page.

use super::SiteData;
use super::content::ContentPage;
use super::env::PageEnv;
use super::html::esc;
use super::markdown::{self, Origin, TocEntry};
use super::{urls, views};
use crate::diagnostic::Diagnostic;
use crate::model::Letter;
pub use crate::plan::{Crumb, PageKind};
use crate::plan::{home_crumb, path_of, scope_crumb, sorted_guides};
use crate::source::Span;
use std::fmt::Write;

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

/// Renders one page's body.
pub fn render(data: &SiteData<'_>, kind: PageKind) -> PageOut {
    let path = path_of(data.project, data.content, kind);
    let scope = match kind {
        PageKind::Scope(i) | PageKind::Content { scope: Some(i), .. } => Some(i),
        _ => None,
    };
    let mut env = PageEnv::new(data, &path, scope.map(|i| &data.project.scopes[i]));
    let mut out = PageOut {
        kind,
        path: path.clone(),
        title: String::new(),
        heading: None,
        description: String::new(),
        body: String::new(),
        toc: Vec::new(),
        crumbs: vec![home_crumb()],
        key: None,
        scope,
        class: "page-article",
        weight: 0,
        diagnostics: Vec::new(),
        links: Vec::new(),
        searchable: true,
    };
    match kind {
        PageKind::Home => home(&mut env, &mut out),
        PageKind::Scope(i) => deployment(&mut env, &mut out, i),
        PageKind::Content { page, .. } => content(&mut env, &mut out, &data.content[page]),
        PageKind::Party(i) => party(&mut env, &mut out, i),
        PageKind::Compare => compare(&mut env, &mut out),
        PageKind::Glossary => glossary(&mut env, &mut out),
        PageKind::NotFound => not_found(&mut out),
    }
    out.diagnostics = std::mem::take(&mut env.diagnostics);
    out.links = std::mem::take(&mut env.links);
    out
}

fn h2(env: &mut PageEnv<'_>, toc: &mut Vec<TocEntry>, wanted: &str, text: &str) -> String {
    let id = env.id(wanted);
    toc.push(TocEntry {
        level: 2,
        id: id.clone(),
        text: text.to_string(),
    });
    let id = esc(&id);
    format!(
        "<h2 id=\"{id}\">{t}<a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section: {t}\"></a></h2>\n",
        t = esc(text)
    )
}

fn home(env: &mut PageEnv<'_>, out: &mut PageOut) {
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
    let mut body = String::new();
    body.push_str(&h2(
        env,
        &mut out.toc,
        "deployments",
        "Choose your deployment",
    ));
    body.push_str("<div class=\"cards\">\n");
    for (scope, matrix) in project.scopes.iter().zip(&data.matrices) {
        let description = match &scope.description {
            Some(d) => env.inline(&d.value, d.span),
            None => String::new(),
        };
        let guides = data
            .content
            .iter()
            .filter(|p| !p.is_home() && p.applies_to(&scope.id.value))
            .count();
        let _ = writeln!(
            body,
            "<a class=\"card card-deployment\" href=\"{href}\"><span class=\"card-kicker\">Deployment</span>\
             <span class=\"card-title\">{name}</span><span class=\"card-text\">{description}</span>\
             <span class=\"card-meta\">{rows} tasks · {guides} guide{s}</span></a>",
            href = env.href(&urls::scope(&scope.id.value)),
            name = esc(&scope.name.value),
            description = esc(&super::html::text_of(&description)),
            rows = matrix.row_count(),
            s = if guides == 1 { "" } else { "s" },
        );
    }
    body.push_str("</div>\n");
    if let Some(index) = data.content.iter().find(|p| p.is_home()) {
        let rendered = render_content(env, index);
        if !index.front.title.value.is_empty() {
            out.title = index.front.title.value.clone();
        }
        if let Some(d) = &index.front.description {
            out.description = d.value.clone();
        }
        body.push_str(&rendered.html);
        out.toc.extend(rendered.toc);
        out.heading = rendered.h1;
    }
    body.push_str(&h2(env, &mut out.toc, "reference", "Reference"));
    body.push_str("<div class=\"cards cards-small\">\n");
    if project.scopes.len() > 1 {
        let _ = writeln!(
            body,
            "<a class=\"card\" href=\"{}\"><span class=\"card-title\">Compare deployments</span>\
             <span class=\"card-text\">What changes from one deployment to the other, row by row.</span></a>",
            env.href(urls::COMPARE)
        );
    }
    for party in &project.parties {
        let _ = writeln!(
            body,
            "<a class=\"card\" href=\"{}\"><span class=\"card-title\">{}</span><span class=\"card-text\">{}</span></a>",
            env.href(&urls::party(&party.id.value)),
            esc(&party.name.value),
            party.description.as_ref().map_or_else(
                || "Its duties per deployment.".to_string(),
                |d| esc(&d.value)
            )
        );
    }
    let _ = writeln!(
        body,
        "<a class=\"card\" href=\"{}\"><span class=\"card-title\">Glossary</span>\
         <span class=\"card-text\">The terms used across this site, explained.</span></a>",
        env.href(urls::GLOSSARY)
    );
    body.push_str("</div>\n");
    out.body = body;
}

fn deployment(env: &mut PageEnv<'_>, out: &mut PageOut, index: usize) {
    let data = env.data;
    let project = data.project;
    let scope = &project.scopes[index];
    let matrix = &data.matrices[index];
    out.title = format!("{}: RASCI for operational support", scope.name.value);
    out.key = Some("rasci".into());
    out.class = "page-deployment";
    out.weight = i64::MIN;
    let mut toc = Vec::new();
    let mut body = String::new();
    let names: Vec<String> = project
        .parties
        .iter()
        .map(|p| p.name.value.clone())
        .collect();
    out.description = format!(
        "Who is Responsible, Accountable, Supportive, Consulted and Informed in operational support for {}.",
        scope.name.value
    );
    let _ = write!(
        body,
        "<p class=\"lead\">This page sets out how operational support is divided between {} when the deployment is <strong>{}</strong>",
        esc(&join_names(&names)),
        esc(&scope.name.value)
    );
    match &scope.description {
        Some(d) => {
            let text = env.inline(&d.value, d.span);
            let _ = writeln!(
                body,
                ": {}</p>",
                text.trim_end_matches('.').to_string() + "."
            );
        }
        None => body.push_str(".</p>\n"),
    }
    let _ = writeln!(
        body,
        "<ul class=\"facts\" aria-label=\"At a glance\"><li><span class=\"fact-value\">{}</span> tasks</li>\
         <li><span class=\"fact-value\">{}</span> parties</li><li><span class=\"fact-value\">{}</span> sections</li></ul>",
        matrix.row_count(),
        project.parties.len(),
        matrix.sections.len()
    );
    if !project.summaries.is_empty() {
        body.push_str(&h2(
            env,
            &mut toc,
            "responsibility-summaries",
            "Responsibility summaries",
        ));
        body.push_str(&views::summaries(env, 3, &mut toc));
    }
    body.push_str(&h2(env, &mut toc, "rasci-table", "RASCI table"));
    let _ = writeln!(
        body,
        "<p class=\"downloads\">Download this table: <a class=\"download\" href=\"{csv}\" download>CSV</a> \
         <a class=\"download\" href=\"{json}\" download>JSON</a></p>",
        csv = env.href(&urls::download(&scope.id.value, "csv")),
        json = env.href(&urls::download(&scope.id.value, "json")),
    );
    // Table and legend stay together: printed, they share one landscape page.
    body.push_str("<div class=\"rasci-block\">\n");
    body.push_str(&views::rasci_table(env, matrix));
    let legend_id = env.id("legend");
    toc.push(TocEntry {
        level: 3,
        id: legend_id.clone(),
        text: "Legend".into(),
    });
    let _ = writeln!(
        body,
        "<h3 id=\"{legend_id}\">Legend<a class=\"anchor\" href=\"#{legend_id}\" aria-label=\"Link to this section: Legend\"></a></h3>"
    );
    body.push_str(&views::legend());
    body.push_str("</div>\n");
    if project
        .systems
        .iter()
        .any(|s| views::shows_in(&s.scopes, Some(scope)))
    {
        body.push_str(&h2(env, &mut toc, "systems-overview", "Systems overview"));
        body.push_str(&views::systems(env));
    }
    for flow in project
        .flows
        .iter()
        .filter(|f| views::shows_in(&f.scopes, Some(scope)))
    {
        let anchor = data.flow_anchor(flow);
        body.push_str(&h2(env, &mut toc, &anchor, &flow.title.value));
        body.push_str(&views::flow(env, flow));
    }
    let guides: Vec<&ContentPage> =
        sorted_guides(data.content, &data.guide_order, Some(&scope.id.value));
    if !guides.is_empty() {
        body.push_str(&h2(env, &mut toc, "guidance", "Guidance"));
        body.push_str("<ul class=\"guides\">\n");
        for guide in guides {
            let emphasis = if guide.slug == "submission-guidelines" {
                " class=\"guide-primary\""
            } else {
                ""
            };
            let _ = write!(
                body,
                "<li{emphasis}><a href=\"{}\">{}</a>",
                env.href(&urls::content(Some(&scope.id.value), &guide.slug)),
                esc(&guide.front.title.value)
            );
            if let Some(d) = &guide.front.description {
                let _ = write!(body, "<span class=\"muted\"> — {}</span>", esc(&d.value));
            }
            body.push_str("</li>\n");
        }
        body.push_str("</ul>\n");
    }
    out.toc = toc;
    out.body = body;
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

fn content(env: &mut PageEnv<'_>, out: &mut PageOut, page: &ContentPage) {
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
    out.body = rendered.html;
    out.toc = rendered.toc;
    out.heading = rendered.h1;
}

fn party(env: &mut PageEnv<'_>, out: &mut PageOut, index: usize) {
    let data = env.data;
    let project = data.project;
    let party = &project.parties[index];
    out.title = party.name.value.clone();
    out.class = "page-party";
    let mut body = String::new();
    if let Some(d) = &party.description {
        let text = env.inline(&d.value, d.span);
        let _ = writeln!(body, "<p class=\"lead\">{text}</p>");
        out.description = super::html::text_of(&text);
    }
    // How many tasks in each letter, per deployment, as a compact overview.
    let _ = writeln!(
        body,
        "<div class=\"table-wrap\"><table class=\"overview\"><caption>Number of tasks per role</caption><thead><tr><th scope=\"col\">Deployment</th>"
    );
    for letter in Letter::ALL {
        let _ = write!(body, "<th scope=\"col\">{}</th>", views::badge(letter));
    }
    body.push_str("</tr></thead><tbody>\n");
    for matrix in &data.matrices {
        let _ = write!(
            body,
            "<tr><th scope=\"row\"><a href=\"{}\">{}</a></th>",
            env.href(&urls::scope(&matrix.scope.id.value)),
            esc(&matrix.scope.name.value)
        );
        for letter in Letter::ALL {
            let n = matrix
                .rows()
                .filter(|r| r.letters(index).contains(letter))
                .count();
            let _ = write!(body, "<td>{n}</td>");
        }
        body.push_str("</tr>\n");
    }
    body.push_str("</tbody></table></div>\n");
    let mut toc = Vec::new();
    for (scope, matrix) in project.scopes.iter().zip(&data.matrices) {
        let anchor = format!("in-{}", scope.id.value);
        body.push_str(&h2(env, &mut toc, &anchor, &scope.name.value));
        env.scope = Some(scope);
        body.push_str(&views::party_duties(env, party, matrix));
    }
    env.scope = None;
    out.toc = toc;
    out.body = body;
}

fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn compare(env: &mut PageEnv<'_>, out: &mut PageOut) {
    let data = env.data;
    let project = data.project;
    out.title = "Compare deployments".into();
    out.class = "page-compare";
    out.description = "The RASCI tables of all deployments side by side; rows that differ or exist in one deployment only are highlighted.".into();
    // Tasks in order of first appearance across the deployments.
    let mut tasks: Vec<(&str, &str)> = Vec::new();
    for matrix in &data.matrices {
        for row in matrix.rows() {
            if !tasks.iter().any(|(id, _)| *id == row.task.id.value) {
                tasks.push((&row.task.id.value, &row.task.title.value));
            }
        }
    }
    let mut differ = 0;
    let mut only = 0;
    let mut rows_html = String::new();
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
        let missing = present.len() < cells.len();
        let different = present.windows(2).any(|w| w[0] != w[1]);
        let (class, note) = if missing {
            only += 1;
            let names: Vec<String> = project
                .scopes
                .iter()
                .zip(&cells)
                .filter(|(_, c)| c.is_some())
                .map(|(s, _)| s.name.value.clone())
                .collect();
            (
                " class=\"row-only\"",
                format!(
                    "<span class=\"flag flag-only\">Only in {}</span>",
                    esc(&join_names(&names))
                ),
            )
        } else if different {
            differ += 1;
            (
                " class=\"row-differs\"",
                "<span class=\"flag flag-differs\">Differs</span>".to_string(),
            )
        } else {
            ("", String::new())
        };
        let _ = write!(
            rows_html,
            "<tr{class}><th scope=\"row\">{} {note}</th>",
            esc(title)
        );
        for (scope_cells, scope) in cells.iter().zip(&project.scopes) {
            match scope_cells {
                Some(letters) => {
                    for set in letters {
                        let _ = write!(rows_html, "<td>{}</td>", views::badges(*set));
                    }
                }
                None => {
                    let _ = write!(
                        rows_html,
                        "<td class=\"absent\" colspan=\"{}\">Not in {}</td>",
                        project.parties.len(),
                        esc(&scope.name.value)
                    );
                }
            }
        }
        rows_html.push_str("</tr>\n");
    }
    let mut body = String::new();
    let _ = writeln!(body, "<p class=\"lead\">{}</p>", esc(&out.description));
    let _ = writeln!(
        body,
        "<ul class=\"facts\"><li><span class=\"fact-value\">{}</span> tasks in all</li><li><span class=\"fact-value\">{only}</span> in some deployments only</li>\
         <li><span class=\"fact-value\">{differ}</span> with different letters</li></ul>",
        tasks.len()
    );
    let mut toc = Vec::new();
    body.push_str(&h2(env, &mut toc, "side-by-side", "Side by side"));
    body.push_str("<div class=\"table-wrap\" role=\"region\" aria-label=\"Comparison table\" tabindex=\"0\"><table class=\"rasci compare\">\n<thead><tr><th scope=\"col\" rowspan=\"2\" class=\"task-col\">Task</th>");
    for scope in &project.scopes {
        let _ = write!(
            body,
            "<th scope=\"colgroup\" colspan=\"{}\" class=\"scope-head\"><a href=\"{}\">{}</a></th>",
            project.parties.len(),
            env.href(&urls::scope(&scope.id.value)),
            esc(&scope.name.value)
        );
    }
    body.push_str("</tr><tr>");
    for _ in &project.scopes {
        for party in &project.parties {
            let _ = write!(body, "<th scope=\"col\">{}</th>", esc(&party.name.value));
        }
    }
    body.push_str("</tr></thead>\n<tbody>\n");
    body.push_str(&rows_html);
    body.push_str("</tbody></table></div>\n");
    body.push_str(&h2(env, &mut toc, "legend", "Legend"));
    body.push_str(&views::legend());
    out.toc = toc;
    out.body = body;
}

fn glossary(env: &mut PageEnv<'_>, out: &mut PageOut) {
    let project = env.data.project;
    out.title = "Glossary".into();
    out.class = "page-glossary";
    out.description = "The terms used on this site. Where a page uses one, it is underlined: hover or focus it to read the definition.".into();
    env.marker.disable();
    let mut terms: Vec<&crate::model::Term> = project.glossary.iter().collect();
    terms.sort_by_key(|t| t.term.value.to_lowercase());
    let mut body = format!(
        "<p class=\"lead\">{}</p>\n<dl class=\"glossary\">\n",
        esc(&out.description)
    );
    let mut toc = Vec::new();
    for term in terms {
        let id = env.id(&super::glossary::term_anchor(&term.term.value));
        toc.push(TocEntry {
            level: 2,
            id: id.clone(),
            text: term.term.value.clone(),
        });
        let definition = env.inline(&term.definition.value, term.definition.span);
        let _ = write!(
            body,
            "<div class=\"glossary-entry\"><dt id=\"{}\">{}</dt><dd><p>{definition}</p>",
            esc(&id),
            esc(&term.term.value)
        );
        if !term.aliases.is_empty() {
            let aliases: Vec<String> = term.aliases.iter().map(|a| esc(&a.value)).collect();
            let _ = write!(
                body,
                "<p class=\"muted\">Also written: {}</p>",
                aliases.join(", ")
            );
        }
        if let Some(source) = &term.source {
            let _ = write!(
                body,
                "<p class=\"muted\">Source: {}</p>",
                esc(&source.value)
            );
        }
        body.push_str("</dd></div>\n");
    }
    body.push_str("</dl>\n");
    out.toc = toc;
    out.body = body;
}

fn not_found(out: &mut PageOut) {
    out.title = "Page not found".into();
    out.class = "page-404";
    out.searchable = false;
    out.body = "<p class=\"lead\">There is no page at this address. It may have moved when the site was last published.</p>\n\
                <p>Start again from the home page, or use the search box at the top of the page.</p>\n"
        .to_string();
}
