//! Code highlighting at build time. Tokens get a few short CSS classes rather than inline
//! colours, so one stylesheet can switch them between light, dark and print, and a theme
//! can replace it.
//!
//! The syntaxes name every token with a stack of scopes (`source.shell meta.function-call
//! variable.function`); a page that carried them all would weigh several times its code.
//! Each token gets at most one class of `Class`, the first the scopes name from the
//! innermost outwards, and neighbouring tokens of the same class share one span: the
//! markup is flat (no span inside another), about twice the bytes of the code at most.
//!
//! The syntaxes' patterns run on Oniguruma (syntect's `regex-onig`), chosen by measurement
//! over `fancy-regex`: the first block of a language, which compiles the patterns it
//! reaches, costs 2 to 11 times fewer instructions, a further block up to 4 times fewer
//! (about as many for JSON and TOML), and the compiled patterns take a fraction of the
//! memory (`benches/README.md`).

use crate::escape::esc_content_into;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;
use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxSet};
use syntect::util::LinesWithEndings;

/// The syntaxes, loaded once per process: the set that ships with `two-face` has YAML,
/// TOML, JSON, shell and the other languages a support site quotes. syntect compiles a
/// pattern the first time a line reaches it and keeps it in this set, so every thread of
/// a build uses the one compiled pattern (a syntax never used is never compiled).
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// What a token is to the reader, and so its colour: the classes the theme's
/// `highlight.css` styles. Text that is none of these (names, operators, punctuation)
/// stays plain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Comment,
    String,
    /// Numbers and the other constants (`true`, `null`, character constants).
    Constant,
    /// Keywords and storage words (`fn`, `let`, `def`, `for`).
    Keyword,
    /// Names of functions where they are defined, builtins and macros.
    Function,
    /// Names of types, classes and other declared things.
    Type,
    /// Keys and tags: a YAML key, an HTML tag or attribute.
    Key,
    /// Lines a diff adds.
    Inserted,
    /// Lines a diff removes.
    Deleted,
    /// Headings of marked-up text.
    Heading,
}

impl Class {
    /// Every class, for the stylesheet's test.
    #[cfg(test)]
    pub(crate) const ALL: [Class; 10] = [
        Class::Comment,
        Class::String,
        Class::Constant,
        Class::Keyword,
        Class::Function,
        Class::Type,
        Class::Key,
        Class::Inserted,
        Class::Deleted,
        Class::Heading,
    ];

    /// The class attribute's value: one letter, as the class is on nearly every token.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Class::Comment => "c",
            Class::String => "s",
            Class::Constant => "n",
            Class::Keyword => "k",
            Class::Function => "f",
            Class::Type => "t",
            Class::Key => "a",
            Class::Inserted => "i",
            Class::Deleted => "d",
            Class::Heading => "h",
        }
    }
}

/// Scope prefixes and what they make a token, in order: for one scope, the first prefix
/// that matches decides; `None` keeps the token plain (an operator inside a keyword's
/// scope is not a keyword). A scope no prefix matches leaves the decision to the scope
/// around it.
const RULES: [(&str, Option<Class>); 26] = [
    ("comment", Some(Class::Comment)),
    // A YAML tag (`!include`) is rare and short: a span of its own would weigh more than it.
    ("storage.type.tag-handle", None),
    // YAML's unquoted values are its plain text: the keys around them carry the colour.
    ("string.unquoted.plain", None),
    ("string", Some(Class::String)),
    ("constant.character.escape", Some(Class::String)),
    ("constant.other.placeholder", Some(Class::String)),
    ("constant", Some(Class::Constant)),
    ("support.constant", Some(Class::Constant)),
    ("keyword.operator", None),
    ("keyword", Some(Class::Keyword)),
    ("storage", Some(Class::Keyword)),
    ("variable.language", Some(Class::Keyword)),
    ("entity.name.function", Some(Class::Function)),
    ("support.function", Some(Class::Function)),
    // A call: the name is plain, as most names are; a definition and a builtin are not.
    ("variable.function", None),
    ("support.macro", Some(Class::Function)),
    ("entity.name.tag", Some(Class::Key)),
    ("entity.other.attribute-name", Some(Class::Key)),
    ("entity.name", Some(Class::Type)),
    ("entity.other.inherited-class", Some(Class::Type)),
    ("support.type", Some(Class::Type)),
    ("support.class", Some(Class::Type)),
    ("markup.inserted", Some(Class::Inserted)),
    ("markup.deleted", Some(Class::Deleted)),
    ("markup.heading", Some(Class::Heading)),
    ("invalid", None),
];

/// Scopes whose tokens stay plain whatever the scopes inside them say: the keys of a JSON
/// object, strings like its values, which alone carry the colour, so a line such as
/// `"name": "value",` is one span rather than two.
const PLAIN_WITHIN: [&str; 1] = ["meta.mapping.key.json"];

/// [`PLAIN_WITHIN`] as syntect's scopes, made once.
static PLAIN_SCOPES: LazyLock<Vec<Scope>> = LazyLock::new(|| {
    PLAIN_WITHIN
        .iter()
        .filter_map(|prefix| Scope::new(prefix).ok())
        .collect()
});

/// [`RULES`] as syntect's scopes, made once.
static RULE_SCOPES: LazyLock<Vec<(Scope, Option<Class>)>> = LazyLock::new(|| {
    RULES
        .iter()
        .filter_map(|&(prefix, class)| Scope::new(prefix).ok().map(|scope| (scope, class)))
        .collect()
});

/// The class of a token under `scopes` (outermost first), by [`RULES`].
fn class_of(scopes: &[Scope], known: &mut HashMap<Scope, Option<Option<Class>>>) -> Option<Class> {
    if scopes
        .iter()
        .any(|&scope| PLAIN_SCOPES.iter().any(|plain| plain.is_prefix_of(scope)))
    {
        return None;
    }
    for &scope in scopes.iter().rev() {
        let decided = *known.entry(scope).or_insert_with(|| {
            RULE_SCOPES
                .iter()
                .find(|(prefix, _)| prefix.is_prefix_of(scope))
                .map(|&(_, class)| class)
        });
        if let Some(class) = decided {
            return class;
        }
    }
    None
}

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
    lines: ParsedLines,
    /// What [`RULES`] make of each scope met, as [`class_of`] asks it again for every token.
    classes: HashMap<Scope, Option<Option<Class>>>,
}

/// The parses of [`LineMemo`], by the line's text.
#[derive(Default)]
struct ParsedLines(HashMap<Box<str>, Vec<Parsed>>);

impl ParsedLines {
    /// The tokens of `line` parsed from `state`, which is moved on past the line.
    fn parse(&mut self, state: &mut ParseState, line: &str) -> Option<&[(usize, ScopeStackOp)]> {
        if self.0.len() >= MEMO_LINES && !self.0.contains_key(line) {
            self.0.clear();
        }
        let parsed = self.0.entry(line.into()).or_default();
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

/// Flat markup: escaped text with spans of one class each, never nested, a span left open
/// across text of no class only when that text is blank.
#[derive(Default)]
struct Spans {
    html: String,
    open: Option<Class>,
}

impl Spans {
    fn push(&mut self, text: &str, class: Option<Class>) {
        if text.is_empty() {
            return;
        }
        // Blank text looks the same in any class: it stays in the span around it, so
        // `a b` of one class is one span, not two.
        let blank = text.bytes().all(|b| b == b' ' || b == b'\t');
        if class != self.open && !blank {
            if self.open.is_some() {
                self.html.push_str("</span>");
            }
            if let Some(class) = class {
                // The class is a letter: it needs no quotes, and every byte counts here.
                self.html.push_str("<span class=");
                self.html.push_str(class.name());
                self.html.push('>');
            }
            self.open = class;
        }
        esc_content_into(text, &mut self.html);
    }

    fn finish(mut self) -> String {
        if self.open.is_some() {
            self.html.push_str("</span>");
        }
        self.html
    }
}

/// Highlights `code` written in `lang`, or returns `None` when the language is unknown
/// (the caller then shows it as plain, escaped text). Each line's parse is looked up in
/// this thread's `LineMemo` first.
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    let syntax = SYNTAXES
        .find_syntax_by_token(lang)
        .or_else(|| SYNTAXES.find_syntax_by_extension(lang))?;
    let mut state = ParseState::new(syntax);
    let mut scopes = ScopeStack::new();
    let mut spans = Spans {
        html: String::with_capacity(code.len() * 2),
        open: None,
    };
    LINES.with_borrow_mut(|LineMemo { lines, classes }| {
        for line in LinesWithEndings::from(code) {
            let ops = lines.parse(&mut state, line)?;
            let mut from = 0;
            for (at, op) in ops {
                let at = (*at).min(line.len());
                if at > from {
                    let class = class_of(scopes.as_slice(), classes);
                    spans.push(line.get(from..at)?, class);
                    from = at;
                }
                scopes.apply(op).ok()?;
            }
            let class = class_of(scopes.as_slice(), classes);
            spans.push(line.get(from..)?, class);
        }
        Some(())
    })?;
    Some(spans.finish())
}

/// The stylesheet for highlighted code: the colours of [`Class`]'s classes, light by
/// default, dark under `data-theme="dark"` and, when the reader has not chosen, under a
/// dark system setting. The colours are those of syntect's "InspiredGitHub" (light) and
/// "base16-ocean.dark" themes, which rasci used before its classes were made compact.
pub(crate) fn stylesheet() -> &'static str {
    include_str!("highlight.css")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_toml_are_highlighted_with_classes() {
        let yaml = highlight("key: value # note\n", "yaml").unwrap();
        assert_eq!(
            yaml,
            "<span class=a>key</span>: value <span class=c># note\n</span>"
        );
        assert!(highlight("[a]\nb = 1\n", "toml").is_some());
        assert!(highlight("x", "no-such-language").is_none());
    }

    /// The memo gives what parsing afresh gives, also for lines met again in another
    /// state (inside a block string) and in another language.
    #[test]
    fn memoised_lines_highlight_as_a_fresh_parse_does() {
        let cases = [
            ("key: value\nlist:\n  - a\n  - b\n", "yaml"),
            ("text: |\n  key: value\n  - a\nkey: value\n", "yaml"),
            ("key: value\n", "toml"),
            ("echo \"key: value\"\nkey: value\n", "sh"),
            ("key: value\nlist:\n  - a\n  - b\n", "yaml"),
        ];
        let first: Vec<String> = cases
            .iter()
            .map(|(code, lang)| highlight(code, lang).unwrap())
            .collect();
        LINES.with_borrow_mut(|memo| *memo = LineMemo::default());
        for ((code, lang), first) in cases.iter().zip(&first) {
            assert_eq!(&highlight(code, lang).unwrap(), first, "{lang}: {code}");
        }
        // The block string's lines are text there, keys outside it.
        assert!(first[1].contains("<span class=s>"), "{}", first[1]);
    }

    #[test]
    fn text_stays_text() {
        let html = highlight("echo \"<b>&\" # <i>\n", "sh").unwrap();
        assert!(html.contains("&lt;b&gt;&amp;"), "{html}");
        assert!(!html.contains("<b>") && !html.contains("<i>"), "{html}");
    }

    /// Every class the highlighter gives has its colours, light and both dark ones.
    #[test]
    fn the_stylesheet_colours_every_class() {
        let css = stylesheet();
        for class in Class::ALL {
            let rule = format!(".code .{} ", class.name());
            assert_eq!(
                css.matches(&rule).count(),
                3,
                "{rule}: light, dark chosen, dark by the system"
            );
        }
        assert!(css.contains(":root[data-theme=\"dark\"] .code "));
    }
}
