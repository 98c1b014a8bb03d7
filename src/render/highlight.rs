//! Code highlighting at build time. Tokens get CSS classes rather than inline colours, so
//! one stylesheet can switch them between light, dark and print.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;
use syntect::html::{ClassStyle, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, ScopeStackOp, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Class prefix of highlighted tokens, so they cannot collide with the theme's classes.
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The syntaxes, loaded once per process: the set that ships with `two-face` has YAML,
/// TOML, JSON, shell and the other languages a support site quotes.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// How many distinct lines one thread's [`LineMemo`] holds before it starts afresh, so
/// that a long `serve` session does not grow with every line ever highlighted.
const MEMO_LINES: usize = 8192;

/// The tokens of one line parsed in one state, and the state after it.
struct Parsed {
    before: ParseState,
    after: ParseState,
    ops: Vec<(usize, ScopeStackOp)>,
}

/// Lines already parsed on this thread, by text. Parsing (the syntaxes' regular
/// expressions) is nearly all the cost of highlighting, and the code blocks of a site
/// repeat lines: the same snippet in every scope's copy of a guide, the same keys
/// and list items in similar examples. A line parsed in the same state always gives the
/// same tokens and the same next state, so a hit is exactly what parsing would give.
#[derive(Default)]
struct LineMemo {
    lines: HashMap<Box<str>, Vec<Parsed>>,
}

impl LineMemo {
    /// The tokens of `line` parsed from `state`, which is moved on past the line.
    fn parse(&mut self, state: &mut ParseState, line: &str) -> Option<&[(usize, ScopeStackOp)]> {
        if self.lines.len() >= MEMO_LINES && !self.lines.contains_key(line) {
            self.lines.clear();
        }
        let parsed = self.lines.entry(line.into()).or_default();
        let at = match parsed.iter().position(|p| p.before == *state) {
            Some(at) => at,
            None => {
                let before = state.clone();
                let ops = state.parse_line(line, &SYNTAXES).ok()?;
                parsed.push(Parsed {
                    before,
                    after: state.clone(),
                    ops,
                });
                parsed.len() - 1
            }
        };
        let hit = &parsed[at];
        state.clone_from(&hit.after);
        Some(&hit.ops)
    }
}

thread_local! {
    static LINES: RefCell<LineMemo> = RefCell::default();
}

/// Highlights `code` written in `lang`, or returns `None` when the language is unknown
/// (the caller then shows it as plain, escaped text). The markup is syntect's
/// `ClassedHTMLGenerator`'s, line by line, with each line's parse looked up in this
/// thread's [`LineMemo`] first.
pub(crate) fn highlight(code: &str, lang: &str) -> Option<String> {
    let syntax = SYNTAXES
        .find_syntax_by_token(lang)
        .or_else(|| SYNTAXES.find_syntax_by_extension(lang))?;
    let mut state = ParseState::new(syntax);
    let mut scopes = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 4);
    let mut open_spans: isize = 0;
    LINES.with_borrow_mut(|memo| {
        for line in LinesWithEndings::from(code) {
            let ops = memo.parse(&mut state, line)?;
            let (formatted, delta) =
                line_tokens_to_classed_spans(line, ops, STYLE, &mut scopes).ok()?;
            open_spans += delta;
            html.push_str(&formatted);
        }
        Some(())
    })?;
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
    Some(html)
}

/// The stylesheet for highlighted code: a light theme by default, a dark one under
/// `data-theme="dark"` and, when the reader has not chosen, under a dark system setting.
///
/// It is [`generate_stylesheet`]'s output, kept in the source: making it reads every
/// theme syntect ships, which cost an eighth of a small site's build, for text that only
/// changes with syntect. A test fails when the two differ.
pub(crate) fn stylesheet() -> &'static str {
    include_str!("highlight.css")
}

/// The stylesheet made from syntect's themes (see [`stylesheet`]).
#[cfg(test)]
fn generate_stylesheet() -> String {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let light =
        syntect::html::css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], STYLE)
            .unwrap_or_default();
    let dark =
        syntect::html::css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], STYLE)
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
#[cfg(test)]
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

    /// The memo gives what syntect's own generator gives, also for lines met again in
    /// another state (inside a block string) and in another language.
    #[test]
    fn memoised_lines_highlight_as_syntect_does() {
        use syntect::html::ClassedHTMLGenerator;
        let plain = |code: &str, lang: &str| {
            let syntax = SYNTAXES.find_syntax_by_token(lang).unwrap();
            let mut generator =
                ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, STYLE);
            for line in LinesWithEndings::from(code) {
                generator
                    .parse_html_for_line_which_includes_newline(line)
                    .unwrap();
            }
            generator.finalize()
        };
        let cases = [
            ("key: value\nlist:\n  - a\n  - b\n", "yaml"),
            ("text: |\n  key: value\n  - a\nkey: value\n", "yaml"),
            ("key: value\n", "toml"),
            ("echo \"key: value\"\nkey: value\n", "sh"),
            ("key: value\nlist:\n  - a\n  - b\n", "yaml"),
        ];
        for _ in 0..2 {
            for (code, lang) in cases {
                assert_eq!(
                    highlight(code, lang).unwrap(),
                    plain(code, lang),
                    "{lang}: {code}"
                );
            }
        }
    }

    #[test]
    fn the_kept_stylesheet_is_syntects() {
        assert!(
            stylesheet() == generate_stylesheet(),
            "src/render/highlight.css is out of date: write generate_stylesheet()'s output there"
        );
    }

    #[test]
    fn dark_rules_are_scoped() {
        let css = stylesheet();
        assert!(css.contains(":root[data-theme=\"dark\"] .hl-"));
    }
}
