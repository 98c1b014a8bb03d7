//! The stylesheet embedded in every diagram.
//!
//! Every colour comes from a CSS custom property with a light fallback, so a page can
//! switch the diagrams to a dark palette (or a print palette) by setting the properties,
//! and a diagram opened on its own still looks right. Selectors are scoped under
//! `.rasci-diagram` because an inline `<style>` applies to the whole page.

/// Number of distinct party colours; parties beyond this reuse them in order.
pub(crate) const PARTY_COLOURS: usize = 6;

/// Light fallbacks per party: accent (outlines, swatches) and background (groups).
const PARTY_LIGHT: [(&str, &str); PARTY_COLOURS] = [
    ("#2f6fb0", "#e9f1fa"),
    ("#b5651d", "#fbf0e4"),
    ("#3c8d5a", "#e7f4eb"),
    ("#7b4fa8", "#f2ebfa"),
    ("#a83f5f", "#faebf0"),
    ("#2f8a8f", "#e4f3f4"),
];

/// The dark palette, as custom property assignments. Used by [`super::standalone`] for
/// viewers in dark mode; a site can copy it for its own dark theme.
pub(crate) const DARK_VARIABLES: &str = "--rasci-bg:#16191d;--rasci-text:#e4e8ec;--rasci-muted:#a9b3bd;\
--rasci-lane-bg:#1c2127;--rasci-lane-bg-alt:#21272e;--rasci-lane-head-bg:#29303a;\
--rasci-lane-border:#3b4550;--rasci-step-bg:#262d35;--rasci-step-border:#8c9cad;\
--rasci-terminal-bg:#1e3a2b;--rasci-terminal-border:#6fbf8f;--rasci-decision-bg:#3b311e;\
--rasci-decision-border:#d9a441;--rasci-edge:#b6c1cc;--rasci-node-bg:#232a31;\
--rasci-party-1:#7fb2e8;--rasci-party-1-bg:#1b2a3a;--rasci-party-2:#e7a467;--rasci-party-2-bg:#33261a;\
--rasci-party-3:#7fc99a;--rasci-party-3-bg:#1a3124;--rasci-party-4:#b895e0;--rasci-party-4-bg:#2a2238;\
--rasci-party-5:#e08aa4;--rasci-party-5-bg:#37202a;--rasci-party-6:#79c6cb;--rasci-party-6-bg:#18302f;";

/// The `<style>` element placed inside each `<svg>`.
pub(crate) fn stylesheet() -> String {
    let mut css = String::from("<style>");
    css.push_str(concat!(
        ".rasci-diagram{--rasci-p:var(--rasci-edge,#44505c);--rasci-pb:var(--rasci-lane-bg,#f4f6f8)}",
        ".rasci-diagram text{font-family:var(--rasci-font,system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif);",
        "font-size:13px;fill:var(--rasci-text,#1d232a)}",
        ".rasci-diagram .rasci-frame{fill:none;stroke:var(--rasci-lane-border,#c9d1d9);stroke-width:1}",
        ".rasci-diagram .rasci-lane{fill:var(--rasci-lane-bg,#f6f8fa)}",
        ".rasci-diagram .rasci-lane-alt{fill:var(--rasci-lane-bg-alt,#eef2f5)}",
        ".rasci-diagram .rasci-lane-head{fill:var(--rasci-lane-head-bg,#e1e7ed)}",
        ".rasci-diagram .rasci-lane-border{stroke:var(--rasci-lane-border,#c9d1d9);stroke-width:1}",
        ".rasci-diagram .rasci-lane-name{font-weight:600}",
        ".rasci-diagram .rasci-accent{fill:var(--rasci-p)}",
        ".rasci-diagram .rasci-node{stroke-width:1.5}",
        ".rasci-diagram .rasci-step{fill:var(--rasci-step-bg,#ffffff);stroke:var(--rasci-step-border,#5f6f80)}",
        ".rasci-diagram .rasci-terminal{fill:var(--rasci-terminal-bg,#e4f3ea);stroke:var(--rasci-terminal-border,#3b7d57)}",
        ".rasci-diagram .rasci-decision{fill:var(--rasci-decision-bg,#fdf4de);stroke:var(--rasci-decision-border,#a8780f)}",
        ".rasci-diagram .rasci-component{fill:var(--rasci-node-bg,#ffffff);stroke:var(--rasci-p)}",
        ".rasci-diagram .rasci-group{fill:var(--rasci-pb);stroke:var(--rasci-p);stroke-width:1}",
        ".rasci-diagram .rasci-group-name{font-weight:600;fill:var(--rasci-p)}",
        ".rasci-diagram .rasci-swatch{fill:var(--rasci-pb);stroke:var(--rasci-p);stroke-width:1.5}",
        ".rasci-diagram .rasci-edge{fill:none;stroke:var(--rasci-edge,#44505c);stroke-width:1.5;stroke-linejoin:round}",
        ".rasci-diagram .rasci-arrowhead{fill:var(--rasci-edge,#44505c)}",
        ".rasci-diagram .rasci-label-bg{fill:var(--rasci-bg,#ffffff);opacity:0.92}",
        ".rasci-diagram .rasci-label,.rasci-diagram .rasci-legend-text{font-size:12px}",
        ".rasci-diagram .rasci-label{font-weight:600;fill:var(--rasci-muted,#3d4852)}",
    ));
    for (i, (accent, background)) in PARTY_LIGHT.iter().enumerate() {
        let n = i + 1;
        css.push_str(&format!(
            ".rasci-diagram .rasci-party-{n}{{--rasci-p:var(--rasci-party-{n},{accent});--rasci-pb:var(--rasci-party-{n}-bg,{background})}}"
        ));
    }
    // In forced-colours mode (Windows high contrast) the palette gives way to the
    // system's colours; shapes and lines stay distinguishable by outline alone.
    css.push_str(concat!(
        "@media (forced-colors:active){",
        ".rasci-diagram .rasci-edge,.rasci-diagram .rasci-node,.rasci-diagram .rasci-group,",
        ".rasci-diagram .rasci-swatch,.rasci-diagram .rasci-frame{stroke:CanvasText}",
        ".rasci-diagram text,.rasci-diagram .rasci-arrowhead,.rasci-diagram .rasci-accent,",
        ".rasci-diagram .rasci-group-name,.rasci-diagram .rasci-label{fill:CanvasText}",
        ".rasci-diagram .rasci-node,.rasci-diagram .rasci-group,.rasci-diagram .rasci-swatch,",
        ".rasci-diagram .rasci-label-bg,.rasci-diagram .rasci-lane,.rasci-diagram .rasci-lane-alt,",
        ".rasci-diagram .rasci-lane-head{fill:Canvas}}",
    ));
    css.push_str("</style>");
    css
}

/// The class naming a party's colour, from its position among the project's parties.
pub(crate) fn party_class(index: usize) -> String {
    format!("rasci-party-{}", index % PARTY_COLOURS + 1)
}
