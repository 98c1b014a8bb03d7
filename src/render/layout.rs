//! Lays a rendered page out with the theme: fills the template context with the page,
//! the navigation, the deployment switcher and the breadcrumb, all with links relative to
//! the page.

use super::SiteData;
use super::pages::{PageKind, PageOut, sorted_guides};
use super::templates::{Theme, error_chain};
use super::urls;
use serde::Serialize;

#[derive(Serialize)]
struct Context<'a> {
    site: SiteInfo<'a>,
    /// Prefix from the page to the site root.
    root: &'a str,
    page: PageView<'a>,
    nav: Vec<NavGroup>,
    switcher: Vec<Switch>,
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    description: &'a str,
    lang: &'a str,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    /// The page's visible heading: its own first heading, else the title.
    heading: &'a str,
    description: &'a str,
    body: &'a str,
    toc: &'a [super::markdown::TocEntry],
    breadcrumb: Vec<Link>,
    class: &'a str,
    path: &'a str,
    /// Name of the deployment the page belongs to, or empty.
    scope_name: String,
    is_home: bool,
}

#[derive(Serialize)]
struct Link {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct NavGroup {
    title: String,
    /// Open when the page is in the group, or when the page belongs to no deployment.
    open: bool,
    items: Vec<NavItem>,
}

#[derive(Serialize)]
struct NavItem {
    title: String,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct Switch {
    name: String,
    url: String,
    current: bool,
}

/// The site root as seen from the 404 page. A static host serves that page for any
/// missing address, `/a/b/c/missing` too, where relative URLs would point nowhere: its
/// styles, scripts and links therefore start from `base_url` when it is set, and from
/// the host's root (`/`) when it is not.
fn not_found_root(project: &crate::model::Project) -> String {
    match &project.config.base_url {
        Some(base) => format!("{}/", base.value.trim_end_matches('/')),
        None => "/".to_string(),
    }
}

/// The full HTML of one page.
pub fn page(
    data: &SiteData<'_>,
    theme: &Theme,
    all: &[PageOut],
    out: &PageOut,
) -> Result<String, String> {
    let project = data.project;
    let root = if out.path == "404.html" {
        not_found_root(project)
    } else {
        urls::root_of(&out.path)
    };
    let rel = |site_path: &str| format!("{root}{site_path}");
    let context = Context {
        site: SiteInfo {
            title: &project.config.title.value,
            description: project
                .config
                .description
                .as_ref()
                .map_or("", |d| d.value.as_str()),
            lang: &project.config.language,
        },
        root: &root,
        page: PageView {
            title: &out.title,
            heading: out.heading.as_deref().unwrap_or(&out.title),
            description: &out.description,
            body: &out.body,
            toc: &out.toc,
            breadcrumb: out
                .crumbs
                .iter()
                .map(|c| Link {
                    title: c.title.clone(),
                    url: rel(&c.url),
                })
                .collect(),
            class: out.class,
            path: &out.path,
            scope_name: out
                .scope
                .map(|i| project.scopes[i].name.value.clone())
                .unwrap_or_default(),
            is_home: matches!(out.kind, PageKind::Home),
        },
        nav: nav(data, out, &rel),
        switcher: switcher(data, all, out, &rel),
    };
    let template = if matches!(out.kind, PageKind::Home) {
        "home.html"
    } else {
        "page.html"
    };
    let context = tera::Context::from_serialize(&context).map_err(|e| error_chain(&e))?;
    theme
        .tera
        .render(template, &context)
        .map_err(|e| format!("{template}: {}", error_chain(&e)))
}

fn nav(data: &SiteData<'_>, out: &PageOut, rel: &dyn Fn(&str) -> String) -> Vec<NavGroup> {
    let project = data.project;
    let item = |title: &str, site_path: String| NavItem {
        title: title.to_string(),
        current: site_path == out.path,
        url: rel(&site_path),
    };
    let mut groups = vec![NavGroup {
        title: "Overview".into(),
        open: true,
        items: vec![item("Home", urls::HOME.to_string())],
    }];
    for (index, scope) in project.scopes.iter().enumerate() {
        let mut items = vec![item(
            "RASCI and responsibilities",
            urls::scope(&scope.id.value),
        )];
        for guide in sorted_guides(data, Some(&scope.id.value)) {
            items.push(item(
                &guide.front.title.value,
                urls::content(Some(&scope.id.value), &guide.slug),
            ));
        }
        groups.push(NavGroup {
            title: scope.name.value.clone(),
            open: out.scope.is_none_or(|s| s == index),
            items,
        });
    }
    let mut reference = Vec::new();
    if project.scopes.is_empty() {
        for guide in sorted_guides(data, None) {
            reference.push(item(
                &guide.front.title.value,
                urls::content(None, &guide.slug),
            ));
        }
    }
    if project.scopes.len() > 1 {
        reference.push(item("Compare deployments", urls::COMPARE.to_string()));
    }
    for party in &project.parties {
        reference.push(item(&party.name.value, urls::party(&party.id.value)));
    }
    reference.push(item("Glossary", urls::GLOSSARY.to_string()));
    groups.push(NavGroup {
        title: "Reference".into(),
        open: true,
        items: reference,
    });
    groups
}

/// One link per deployment: the same page there when it exists, else its RASCI page.
fn switcher(
    data: &SiteData<'_>,
    all: &[PageOut],
    out: &PageOut,
    rel: &dyn Fn(&str) -> String,
) -> Vec<Switch> {
    data.project
        .scopes
        .iter()
        .enumerate()
        .map(|(index, scope)| {
            let same = out.key.as_ref().and_then(|key| {
                all.iter()
                    .find(|p| p.scope == Some(index) && p.key.as_ref() == Some(key))
            });
            let target = same.map_or_else(|| urls::scope(&scope.id.value), |p| p.path.clone());
            Switch {
                name: scope.name.value.clone(),
                url: rel(&target),
                current: out.scope == Some(index),
            }
        })
        .collect()
}
