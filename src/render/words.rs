//! The words of the search index: what a reader sees of a rendered page (without
//! tooltips, words for screen readers only, scripts, styles and drawings), and the stems
//! of words in the site's language.

use std::borrow::Cow;

/// Classes of elements a reader does not see in the running text: a glossary term's
/// definition (a tooltip, shown on demand) and words for screen readers only (a badge's
/// name beside its letter). Indexed, they made excerpts such as "SBC SBC Session Border
/// Controller" and "A Accountable, R Responsible".
const HIDDEN_CLASSES: [&str; 2] = ["term-def", "visually-hidden"];

/// Elements whose content is never text on the page, and drawings: a drawing's words are
/// those of the lists that go with it (a flow's steps, a deployment's systems), which are
/// indexed once.
const HIDDEN_ELEMENTS: [&str; 5] = ["style", "script", "template", "noscript", "svg"];

/// Elements that have no end tag, so they open no level of nesting.
const VOID_ELEMENTS: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// `body` without the elements a reader does not see ([`HIDDEN_CLASSES`],
/// [`HIDDEN_ELEMENTS`]) and without the elements named in `skip`. The body is rasci's own
/// rendered markup, so tags are balanced; one pass, no allocation when nothing is hidden.
pub(crate) fn visible_html<'b>(body: &'b str, skip: &[&str]) -> Cow<'b, str> {
    let hides = |tag: &str| -> bool {
        let name = tag_name(tag);
        if is_one_of(&HIDDEN_ELEMENTS, name) || is_one_of(skip, name) {
            return true;
        }
        tag.split("class=\"").nth(1).is_some_and(|rest| {
            let classes = rest.split('"').next().unwrap_or_default();
            classes
                .split_ascii_whitespace()
                .any(|c| HIDDEN_CLASSES.contains(&c))
        })
    };
    if skip.is_empty()
        && !HIDDEN_CLASSES
            .iter()
            .chain(&HIDDEN_ELEMENTS)
            .any(|h| body.contains(h))
    {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    // Depth of nesting inside a hidden element; 0 when showing.
    let mut hidden = 0usize;
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        if hidden == 0 {
            out.push_str(&rest[..open]);
        }
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        let closing = tag.starts_with('/');
        let name = tag_name(tag.trim_start_matches('/'));
        let opens = !closing
            && !tag.ends_with('/')
            && !tag.starts_with('!')
            && !is_one_of(&VOID_ELEMENTS, name);
        if hidden > 0 {
            if closing {
                hidden -= 1;
            } else if opens {
                hidden += 1;
            }
        } else if opens && hides(tag) {
            hidden = 1;
        } else {
            out.push_str(&rest[open..open + close + 1]);
        }
        rest = &rest[open + close + 1..];
    }
    if hidden == 0 {
        out.push_str(rest);
    }
    Cow::Owned(out)
}

/// The element name a tag's text (after `<`) begins with, as written: a page has
/// thousands of tags, so it is a slice of the tag, compared without regard to case, never
/// a new string.
fn tag_name(tag: &str) -> &str {
    let end = tag
        .bytes()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(tag.len());
    &tag[..end]
}

/// Whether `name` is one of the lower-case element names of `list`, in any case.
fn is_one_of(list: &[&str], name: &str) -> bool {
    list.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// The Snowball stemmer of a language tag's primary subtag (`en`, `de` of `de-CH`); none
/// for a language without one, whose words are then matched as written.
pub(crate) fn stemmer(language: &str) -> Option<rust_stemmers::Stemmer> {
    use rust_stemmers::Algorithm as A;
    let primary = language.split('-').next().unwrap_or_default();
    let algorithm = match primary.to_ascii_lowercase().as_str() {
        "ar" => A::Arabic,
        "da" => A::Danish,
        "nl" => A::Dutch,
        "en" => A::English,
        "fi" => A::Finnish,
        "fr" => A::French,
        "de" => A::German,
        "el" => A::Greek,
        "hu" => A::Hungarian,
        "it" => A::Italian,
        "no" | "nb" | "nn" => A::Norwegian,
        "pt" => A::Portuguese,
        "ro" => A::Romanian,
        "ru" => A::Russian,
        "es" => A::Spanish,
        "sv" => A::Swedish,
        "ta" => A::Tamil,
        "tr" => A::Turkish,
        _ => return None,
    };
    Some(rust_stemmers::Stemmer::create(algorithm))
}

/// A site language's stemmer. Each distinct word of the site is stemmed once, when the
/// search index lists its words (see `shards::files`), not at each of its occurrences:
/// stemming and remembering stems page by page was a tenth of a 10,000-page build.
pub(crate) struct Stems {
    stemmer: Option<rust_stemmers::Stemmer>,
}

impl Stems {
    /// The stems of words in `language` (see [`stemmer`]).
    pub(crate) fn new(language: &str) -> Self {
        Stems {
            stemmer: stemmer(language),
        }
    }

    /// The stem of `word` (in lower case, as search splits words) when it differs from
    /// the word; `None` for a word of one or two characters, which is matched as written,
    /// and in a language without a stemmer.
    pub(crate) fn of<'w>(&self, word: &'w str) -> Option<Cow<'w, str>> {
        let stemmer = self.stemmer.as_ref()?;
        // Words of one or two characters are matched as written.
        word.chars().nth(2)?;
        let stem = stemmer.stem(word);
        (stem != word).then_some(stem)
    }
}
