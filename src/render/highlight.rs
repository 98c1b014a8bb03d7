//! Code highlighting at build time. Tokens get CSS classes rather than inline colours, so
//! one stylesheet can switch them between light, dark and print.

use std::sync::LazyLock;
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Class prefix of highlighted tokens, so they cannot collide with the theme's classes.
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The syntaxes, loaded once per process: the set that ships with `two-face` has YAML,
/// TOML, JSON, shell and the other languages a support site quotes.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// Highlights `code` written in `lang`, or returns `None` when the language is unknown
/// (the caller then shows it as plain, escaped text).
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    let syntax = SYNTAXES
        .find_syntax_by_token(lang)
        .or_else(|| SYNTAXES.find_syntax_by_extension(lang))?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// The stylesheet for highlighted code: a light theme by default, a dark one under
/// `data-theme="dark"` and, when the reader has not chosen, under a dark system setting.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let light =
        css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], STYLE).unwrap_or_default();
    let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], STYLE)
        .unwrap_or_default();
    let mut css = String::from("/* Code highlighting: generated at build time. */\n");
    css.push_str(&light);
    css.push_str("\n/* Dark, chosen explicitly. */\n");
    css.push_str(&prefix_rules(&dark, ":root[data-theme=\"dark\"] "));
    css.push_str("\n/* Dark, following the system when no choice was made. */\n");
    css.push_str("@media (prefers-color-scheme: dark) {\n");
    css.push_str(&prefix_rules(&dark, ":root:not([data-theme=\"light\"]) "));
    css.push_str("}\n");
    css
}

/// Puts `prefix` before every selector of a flat stylesheet (no nested at-rules).
fn prefix_rules(css: &str, prefix: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let selectors = &rest[..open];
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let body = &rest[open..open + close + 1];
        // Drop comments in front of the selector list; keep the selectors themselves.
        let selectors = match selectors.rfind("*/") {
            Some(end) => &selectors[end + 2..],
            None => selectors,
        };
        let prefixed: Vec<String> = selectors
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("{prefix}{s}"))
            .collect();
        if !prefixed.is_empty() {
            out.push_str(&prefixed.join(", "));
            out.push(' ');
            out.push_str(body);
            out.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_toml_are_highlighted_with_classes() {
        let yaml = highlight("key: value\n", "yaml").unwrap();
        assert!(yaml.contains("class=\"hl-"), "{yaml}");
        assert!(highlight("[a]\nb = 1\n", "toml").is_some());
        assert!(highlight("x", "no-such-language").is_none());
    }

    #[test]
    fn dark_rules_are_scoped() {
        let css = stylesheet();
        assert!(css.contains(":root[data-theme=\"dark\"] .hl-"));
    }
}
