//! The pages of a scope's guides: its RASCI page lists the first [`GUIDES_PER_PAGE`], and
//! pages of `pages/guides.html` the rest, each linking every page of them, so that a scope
//! of thousands of guides is not one page of one list.

use super::env::PageEnv;
use super::out::PageOut;
use super::page_views;
use super::templates::RenderError;
use crate::model::{ModelIx, ScopeIx};
use crate::plan::{GUIDES_PER_PAGE, urls};

/// The guides a page lists, how many the scope has, and the links to its pages of them.
pub(super) type GuideList = (
    Vec<page_views::GuideLink>,
    usize,
    Vec<page_views::GuidePageLink>,
);

/// Page `page` of the guides of `scope`, in navigation order, with links to every page of
/// them; `first` is the path of the first page (a RASCI page of the scope). The pages are
/// empty when the scope has no more than [`GUIDES_PER_PAGE`] guides.
pub(super) fn guide_list(
    env: &mut PageEnv<'_>,
    scope: ScopeIx,
    model: ModelIx,
    page: usize,
    first: &str,
) -> GuideList {
    let data = env.data;
    // The guides for this model's readers, each at its showing in this model.
    let all = data.guides_in(scope, model);
    let scope = data.project.scope_at(scope);
    let model = data.project.model_at(model);
    let guides = all
        .iter()
        .skip((page - 1) * GUIDES_PER_PAGE)
        .take(GUIDES_PER_PAGE)
        .map(|&guide| &data.content[guide.0])
        .map(|guide| page_views::GuideLink {
            href: env.url(&urls::content_in(
                model.path_id(),
                Some(&scope.id.value),
                &guide.slug,
            )),
            title: guide.front.title.value.clone(),
            description: guide.front.description.as_ref().map(|d| d.value.clone()),
            featured: guide.front.featured,
        })
        .collect();
    let count = all.len().div_ceil(GUIDES_PER_PAGE);
    let pages = if count > 1 {
        (1..=count)
            .map(|number| page_views::GuidePageLink {
                number,
                first: (number - 1) * GUIDES_PER_PAGE + 1,
                last: (number * GUIDES_PER_PAGE).min(all.len()),
                href: if number == 1 {
                    env.url(first)
                } else {
                    env.url(&urls::guides(&scope.id.value, number))
                },
                current: number == page,
            })
            .collect()
    } else {
        Vec::new()
    };
    (guides, all.len(), pages)
}

const GUIDES: &str = "pages/guides.html";

pub(super) fn guides_page(
    env: &mut PageEnv<'_>,
    out: &mut PageOut,
    scope: ScopeIx,
    page: usize,
    first: &str,
) -> Result<(), RenderError> {
    let project = env.data.project;
    // The pages after the first are one set per scope: they list the guides of the
    // default model (the one implicit model without models).
    let model = project
        .models()
        .find(|(_, m)| m.is_default)
        .map_or(ModelIx(0), |(ix, _)| ix);
    let (guides, guide_count, guide_pages) = guide_list(env, scope, model, page, first);
    let scope = project.scope_at(scope);
    let view = page_views::GuidesView {
        scope_name: scope.name.value.clone(),
        first: (page - 1) * GUIDES_PER_PAGE + 1,
        last: (page * GUIDES_PER_PAGE).min(guide_count),
        guide_count,
        guides,
        guide_pages,
    };
    out.title = Some(env.theme.render_text(GUIDES, "title", &view)?);
    out.body = env.theme.render_block(GUIDES, "body", &view)?;
    Ok(())
}
