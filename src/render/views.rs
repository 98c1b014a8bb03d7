//! Data views: the HTML of the RASCI table, the legend, the responsibility summaries, the
//! systems overview, the flows and a party's duties. Deployment pages are built from
//! them, and content pages embed them with shortcodes.

use super::env::PageEnv;
use super::html::esc;
use super::markdown::Shortcode;
use super::urls;
use crate::diagnostic::{Diagnostic, RuleId, did_you_mean, list_names};
use crate::model::{Flow, Letter, LetterSet, Party, Scope, StepKind, SummaryItem};
use crate::resolve::Matrix;
use std::fmt::Write;

/// Whether an item with an optional `scopes:` list shows on `scope`'s pages.
pub fn shows_in(
    scopes: &Option<Vec<crate::model::Located<String>>>,
    scope: Option<&Scope>,
) -> bool {
    match (scopes, scope) {
        (None, _) => true,
        (Some(list), Some(scope)) => list.iter().any(|s| s.value == scope.id.value),
        (Some(_), None) => true,
    }
}

/// One letter as a coloured badge: the letter for the eye, its name for screen readers
/// and as a tooltip.
pub fn badge(letter: Letter) -> String {
    format!(
        "<abbr class=\"badge badge-{lower}\" title=\"{name}\"><span aria-hidden=\"true\">{letter}</span>\
         <span class=\"visually-hidden\">{name}</span></abbr>",
        lower = letter.as_str().to_lowercase(),
        name = letter.name(),
        letter = letter.as_str(),
    )
}

pub fn badges(letters: LetterSet) -> String {
    letters.iter().map(badge).collect::<Vec<_>>().join("")
}

/// The RASCI table of one deployment: a column per party, a header row per titled
/// section, the task titles as row headers.
pub fn rasci_table(env: &mut PageEnv<'_>, matrix: &Matrix<'_>) -> String {
    let project = env.data.project;
    let caption_id = esc(&env.id(&format!("rasci-caption-{}", matrix.scope.id.value)));
    let mut html = String::new();
    let _ = write!(
        html,
        "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"{caption_id}\" tabindex=\"0\">\n\
         <table class=\"rasci\" data-scope=\"{scope}\">\n\
         <caption id=\"{caption_id}\">RASCI table: {name}</caption>\n\
         <thead><tr><th scope=\"col\" class=\"task-col\">Task &amp; involved party</th>",
        scope = esc(&matrix.scope.id.value),
        name = esc(&matrix.scope.name.value),
    );
    for party in &project.parties {
        let _ = write!(
            html,
            "<th scope=\"col\"><a href=\"{}\">{}</a></th>",
            env.href(&urls::party(&party.id.value)),
            esc(&party.name.value)
        );
    }
    html.push_str("</tr></thead>\n");
    let columns = project.parties.len() + 1;
    for section in &matrix.sections {
        html.push_str("<tbody>\n");
        if let Some(title) = &section.section.title {
            let id = esc(&env.id(&format!("section-{}", section.section.id.value)));
            let _ = writeln!(
                html,
                "<tr class=\"section-row\"><th scope=\"rowgroup\" colspan=\"{columns}\" id=\"{id}\">{}</th></tr>",
                esc(&title.value)
            );
        }
        for row in &section.rows {
            let id = esc(&env.id(&urls::task_anchor(&row.task.id.value)));
            let title = env.inline(&row.task.title.value, row.task.title.span);
            let _ = write!(html, "<tr id=\"{id}\"><th scope=\"row\">{title}</th>");
            for (index, _) in project.parties.iter().enumerate() {
                let letters = row.letters(index);
                if letters.is_empty() {
                    html.push_str("<td class=\"empty\"></td>");
                } else {
                    let _ = write!(html, "<td>{}</td>", badges(letters));
                }
            }
            html.push_str("</tr>\n");
        }
        html.push_str("</tbody>\n");
    }
    html.push_str("</table>\n</div>\n");
    html
}

/// What the five letters mean.
pub fn legend() -> String {
    let mut html = String::from("<dl class=\"legend\" aria-label=\"Legend\">\n");
    for letter in Letter::ALL {
        let _ = writeln!(
            html,
            "<div class=\"legend-item\"><dt>{}</dt><dd>{}</dd></div>",
            badge(letter),
            esc(letter.meaning())
        );
    }
    html.push_str("</dl>\n");
    html
}

/// The responsibility summaries that apply to the page's deployment. Each summary's
/// heading gets an id; the caller lists them in the table of contents.
pub fn summaries(
    env: &mut PageEnv<'_>,
    level: u8,
    toc: &mut Vec<super::markdown::TocEntry>,
) -> String {
    let project = env.data.project;
    let mut html = String::new();
    for summary in &project.summaries {
        let party = project.party(&summary.party.value);
        let title = summary
            .title
            .as_ref()
            .map(|t| t.value.clone())
            .unwrap_or_else(|| {
                format!(
                    "{} responsibility summary",
                    party.map_or(summary.party.value.as_str(), |p| p.name.as_str())
                )
            });
        let id = env.id(&format!("summary-{}", summary.party.value));
        toc.push(super::markdown::TocEntry {
            level,
            id: id.clone(),
            text: title.clone(),
        });
        let id = esc(&id);
        let _ = writeln!(html, "<section class=\"summary\" aria-labelledby=\"{id}\">");
        let _ = writeln!(
            html,
            "<h{level} id=\"{id}\">{}<a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section: {0}\"></a></h{level}>",
            esc(&title)
        );
        if let Some(intro) = &summary.intro {
            let text = env.inline(&intro.value, intro.span);
            let _ = writeln!(html, "<p>{text}</p>");
        }
        html.push_str(&summary_items(env, &summary.items));
        html.push_str("</section>\n");
    }
    html
}

fn summary_items(env: &mut PageEnv<'_>, items: &[SummaryItem]) -> String {
    let shown: Vec<&SummaryItem> = items
        .iter()
        .filter(|i| shows_in(&i.scopes, env.scope))
        .collect();
    if shown.is_empty() {
        return String::new();
    }
    let mut html = String::from("<ul>\n");
    for item in shown {
        html.push_str("<li>");
        if let Some(heading) = &item.heading {
            let _ = write!(
                html,
                "<strong class=\"summary-heading\">{}</strong>",
                esc(&heading.value)
            );
            if item.items.iter().all(|i| !shows_in(&i.scopes, env.scope)) {
                html.push_str(" <span class=\"muted\">(no specific items)</span>");
            }
        }
        if let Some(text) = &item.text {
            html.push_str(&env.inline(&text.value, text.span));
        }
        html.push_str(&summary_items(env, &item.items));
        html.push_str("</li>\n");
    }
    html.push_str("</ul>\n");
    html
}

/// The systems of a deployment and who manages each.
pub fn systems(env: &mut PageEnv<'_>) -> String {
    let project = env.data.project;
    let mut html = String::new();
    if let Some(diagram) = super::diagrams::systems(env) {
        html.push_str(&diagram);
    }
    html.push_str("<ul class=\"systems\">\n");
    let scope = env.scope;
    for system in project
        .systems
        .iter()
        .filter(|s| shows_in(&s.scopes, scope))
    {
        let manager = project.party(&system.managed_by.value);
        let name = env.inline(&system.name.value, system.name.span);
        let _ = write!(
            html,
            "<li><span class=\"system-name\">{name}</span><span class=\"managed\">Managed by "
        );
        match manager {
            Some(party) => {
                let _ = write!(
                    html,
                    "<a href=\"{}\">{}</a>",
                    env.href(&urls::party(&party.id.value)),
                    esc(&party.name.value)
                );
            }
            None => html.push_str(&esc(&system.managed_by.value)),
        }
        html.push_str("</span>");
        if let Some(description) = &system.description {
            let text = env.inline(&description.value, description.span);
            let _ = write!(html, "<p class=\"muted\">{text}</p>");
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ul>\n");
    html
}

/// A flow's steps as an ordered list, lane by lane; decisions list their ways out.
pub fn flow(env: &mut PageEnv<'_>, flow: &Flow) -> String {
    let project = env.data.project;
    let mut html = String::new();
    if let Some(description) = &flow.description {
        let text = env.inline(&description.value, description.span);
        let _ = writeln!(html, "<p>{text}</p>");
    }
    if let Some(diagram) = super::diagrams::flow(env, flow) {
        html.push_str(&diagram);
    }
    let anchor =
        |env: &PageEnv<'_>, step: &str| format!("step-{}-{}", env.data.flow_anchor(flow), step);
    html.push_str("<ol class=\"flow-steps\">\n");
    for step in &flow.steps {
        let lane = flow.lanes.iter().find(|l| l.id.value == step.lane.value);
        let lane_name = lane
            .and_then(|l| {
                l.name
                    .as_ref()
                    .map(|n| n.value.clone())
                    .or_else(|| project.party(&l.party.value).map(|p| p.name.value.clone()))
            })
            .unwrap_or_else(|| step.lane.value.clone());
        let id = esc(&env.id(&anchor(env, &step.id.value)));
        let kind = match step.kind {
            StepKind::Start => "start",
            StepKind::Step => "step",
            StepKind::Decision => "decision",
            StepKind::End => "end",
        };
        let text = env.inline(&step.text.value, step.text.span);
        let _ = write!(
            html,
            "<li id=\"{id}\" class=\"flow-step flow-{kind}\"><span class=\"lane\">{}</span> {text}",
            esc(&lane_name)
        );
        // Link the step to its task's row on the deployment page, when that page has it.
        if let Some(task) = &step.task
            && let Some((_, t)) = project.tasks().find(|(_, t)| t.id.value == task.value)
            && let Some(scope) = env.scope
            && env.data.scope_has_task(Some(scope), &task.value)
        {
            let _ = write!(
                html,
                " <a class=\"task-ref\" href=\"{}#{}\">Task: {}</a>",
                env.href(&urls::scope(&scope.id.value)),
                esc(&urls::task_anchor(&task.value)),
                esc(&t.title.value)
            );
        }
        if !step.branches.is_empty() {
            html.push_str("<ul class=\"branches\">");
            for branch in &step.branches {
                let target = flow.steps.iter().find(|s| s.id.value == branch.to.value);
                let _ = write!(
                    html,
                    "<li><strong>{}</strong>: {}</li>",
                    esc(&branch.label.value),
                    target.map_or_else(|| esc(&branch.to.value), |s| esc(&s.text.value))
                );
            }
            html.push_str("</ul>");
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ol>\n");
    html
}

/// What a party is R, A, S, C and I for in one deployment, letter by letter.
pub fn party_duties(env: &mut PageEnv<'_>, party: &Party, matrix: &Matrix<'_>) -> String {
    let project = env.data.project;
    let Some(index) = project
        .parties
        .iter()
        .position(|p| p.id.value == party.id.value)
    else {
        return String::new();
    };
    let mut html = String::from("<div class=\"duties\">\n");
    let mut any = false;
    for letter in Letter::ALL {
        let rows: Vec<_> = matrix
            .rows()
            .filter(|r| r.letters(index).contains(letter))
            .collect();
        if rows.is_empty() {
            continue;
        }
        any = true;
        let _ = write!(
            html,
            "<div class=\"duty\"><p class=\"duty-title\">{} {} for <span class=\"count\">{} task{}</span></p><ul>",
            badge(letter),
            letter.name(),
            rows.len(),
            if rows.len() == 1 { "" } else { "s" }
        );
        for row in rows {
            let href = format!(
                "{}#{}",
                env.href(&urls::scope(&matrix.scope.id.value)),
                esc(&urls::task_anchor(&row.task.id.value))
            );
            let _ = write!(
                html,
                "<li><a href=\"{href}\">{}</a></li>",
                esc(&row.task.title.value)
            );
        }
        html.push_str("</ul></div>\n");
    }
    if !any {
        let _ = write!(
            html,
            "<p class=\"muted\">{} holds no letter in {}.</p>",
            esc(&party.name.value),
            esc(&matrix.scope.name.value)
        );
    }
    html.push_str("</div>\n");
    html
}

const SHORTCODES: [&str; 5] = [
    "rasci_table",
    "legend",
    "party_duties",
    "diagram",
    "summaries",
];

/// Renders a shortcode call from a content page.
pub fn shortcode(env: &mut PageEnv<'_>, call: &Shortcode) -> Result<String, Diagnostic> {
    let data = env.data;
    let known_args: &[&str] = match call.name.as_str() {
        "rasci_table" => &["scope"],
        "legend" => &[],
        "party_duties" => &["party", "scope"],
        "diagram" => &["flow", "systems", "scope"],
        "summaries" => &["scope"],
        other => {
            let mut d = Diagnostic::new(
                RuleId::ContentShortcode,
                format!("there is no shortcode `{other}`"),
            )
            .at(call.span, "unknown shortcode");
            d = d.help(match did_you_mean(other, SHORTCODES) {
                Some(s) => s,
                None => format!("shortcodes: {}", list_names(&SHORTCODES)),
            });
            return Err(d);
        }
    };
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
    // The deployment: the one named, else the page's own.
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
    let need_scope = || {
        Diagnostic::new(
            RuleId::ContentShortcode,
            format!("`{}` needs a deployment", call.name),
        )
        .at(call.span, "on a page outside any deployment")
        .help("add scope=\"<id>\"")
    };
    let matrix_of = |scope: &Scope| {
        data.matrices
            .iter()
            .position(|m| m.scope.id.value == scope.id.value)
    };
    let saved_scope = env.scope;
    let result = match call.name.as_str() {
        "legend" => Ok(legend()),
        "rasci_table" => {
            let scope = scope.ok_or_else(need_scope)?;
            let index = matrix_of(scope).ok_or_else(need_scope)?;
            env.scope = Some(scope);
            Ok(format!(
                "{}{}",
                rasci_table(env, &data.matrices[index]),
                legend()
            ))
        }
        "summaries" => {
            env.scope = scope;
            let mut toc = Vec::new();
            Ok(summaries(env, 3, &mut toc))
        }
        "party_duties" => {
            let scope = scope.ok_or_else(need_scope)?;
            let index = matrix_of(scope).ok_or_else(need_scope)?;
            let id = call.arg("party").unwrap_or("");
            let Some(party) = data.project.party(id) else {
                let known = data.project.parties.iter().map(|p| p.id.as_str());
                let mut d = Diagnostic::new(
                    RuleId::ContentShortcode,
                    format!("there is no party `{id}`"),
                )
                .at(call.span, "in this shortcode");
                d = d.help(
                    did_you_mean(id, known).unwrap_or_else(|| "give party=\"<id>\"".to_string()),
                );
                return Err(d);
            };
            env.scope = Some(scope);
            Ok(party_duties(env, party, &data.matrices[index]))
        }
        "diagram" => {
            env.scope = scope;
            if let Some(id) = call.arg("flow") {
                match data.project.flows.iter().find(|f| f.id.value == id) {
                    Some(f) => Ok(super::diagrams::flow(env, f).unwrap_or_else(|| flow(env, f))),
                    None => Err(Diagnostic::new(
                        RuleId::ContentShortcode,
                        format!("there is no flow `{id}`"),
                    )
                    .at(call.span, "in this shortcode")),
                }
            } else {
                Ok(super::diagrams::systems(env).unwrap_or_else(|| systems(env)))
            }
        }
        _ => unreachable!("names were matched above"),
    };
    env.scope = saved_scope;
    result
}
