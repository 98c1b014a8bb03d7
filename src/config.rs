//! The site config file, `rasci.yaml` at the project root.

use crate::located::{Entries, Located};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The name of the site config file; its folder is the project root.
pub(crate) const CONFIG_FILE: &str = "rasci.yaml";

/// `rasci.yaml`. Unknown keys are errors, so a misspelt setting is never silently ignored.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site title, shown in the top bar and page titles.
    pub title: Located<String>,
    #[serde(default)]
    pub(crate) description: Option<Located<String>>,
    /// A line shown under the title of every deployment page, saying what the pages are
    /// (the document's subtitle when the site reproduces one); plain text.
    #[serde(default)]
    pub(crate) subtitle: Option<Located<String>>,
    /// Absolute URL the site is published at (for the sitemap); links stay relative.
    #[serde(default)]
    pub base_url: Option<Located<String>>,
    /// Theme: the name of a folder under `themes/` (one plain folder name, no path), or
    /// `golive`, the built-in theme.
    #[serde(default = "default_theme")]
    #[schemars(regex(pattern = r"^[^./\\:][^/\\]*$"))]
    #[schemars(extend("default" = "golive"))]
    pub(crate) theme: Located<String>,
    /// Language code for `<html lang>`.
    #[serde(default = "default_language", deserialize_with = "language_tag")]
    #[schemars(
        regex(pattern = r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$"),
        length(max = 64)
    )]
    pub(crate) language: String,
    #[serde(default)]
    pub(crate) check: CheckConfig,
    #[serde(default)]
    pub(crate) content: ContentConfig,
    #[serde(default)]
    pub(crate) labels: Labels,
    /// Where a page's source is edited in the repository's web interface, with `{path}`
    /// standing for the file's path from the project root, e.g.
    /// `https://github.com/org/repo/edit/main/{path}`. Set, each guide links "Edit this
    /// page" to its Markdown file. An `http(s)` address with exactly one `{path}`.
    #[serde(default)]
    #[schemars(regex(pattern = r"^https?://[^\s/?#{}]+[^\s{}]*\{path\}[^\s{}]*$"))]
    pub(crate) edit_url: Option<Located<String>>,
    /// `edit_url` once the loader has found it usable: the only form the site builds links
    /// from, so no unchecked pattern reaches a page.
    #[serde(skip)]
    #[schemars(skip)]
    pub(crate) edit_link: Option<EditUrl>,
    #[serde(default)]
    pub(crate) matrix: MatrixConfig,
    /// Show on each page the date it last changed (its front matter's `updated:`, else the
    /// last git commit of the files it is built from) and give the sitemap `<lastmod>`.
    /// `false` leaves every date out and never runs git.
    #[serde(default = "default_last_updated")]
    pub(crate) last_updated: bool,
    #[serde(default)]
    pub(crate) templates: TemplatesConfig,
    #[serde(default)]
    pub(crate) brand: BrandConfig,
    /// Earlier versions to publish beside the working tree's, newest first: each a git
    /// revision built under `v/<id>/`. The loader empties the list when an entry is not
    /// usable (`config/versions`).
    #[serde(default)]
    #[schemars(length(max = 20))]
    pub(crate) versions: Vec<VersionDef>,
    /// `brand` once the loader has found it usable (the logo read, the colours parsed and
    /// contrast-checked, the addresses parsed): the only form the site is built from.
    #[serde(skip)]
    #[schemars(skip)]
    pub(crate) branding: Branding,
}

/// One published version: a git revision of the project, built under `v/<id>/`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionDef {
    /// The version's segment of the site's addresses (`v/2025.1/`): 1 to 32 lowercase
    /// ASCII letters, digits, `.` and `-`, starting with a letter or digit.
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9.-]{0,31}$"))]
    pub id: Located<String>,
    /// The name the version switcher and the banner show, e.g. `2025.1 (April 2025)`.
    pub name: Located<String>,
    /// The git revision holding the version: a tag such as `v2025.1`, a branch or a commit.
    pub revision: Located<String>,
    /// The day the version took effect, `YYYY-MM-DD`.
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub effective: Located<String>,
}

/// The most versions `versions:` may list: each is a whole build of the site.
pub const MAX_VERSIONS: usize = 20;

/// The `brand:` section: what makes the site a vendor's own without templates.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BrandConfig {
    /// An image file in the project (`.svg`, `.png`, `.jpg`, `.jpeg`, `.webp`, `.ico`; at
    /// most 1 MiB), as a path from the project root without `..`: shown in the top bar in
    /// place of the theme's mark, and the favicon.
    #[serde(default)]
    pub logo: Option<Located<String>>,
    /// The accent colour of the light theme (`#rgb` or `#rrggbb`): links, the current
    /// switcher item, focus borders. It must reach WCAG AA contrast (4.5:1) against the
    /// theme's light backgrounds.
    #[serde(default)]
    pub accent: Option<Located<String>>,
    /// The accent colour of the dark theme, checked against the dark backgrounds; the
    /// theme's own when absent.
    #[serde(default)]
    pub accent_dark: Option<Located<String>>,
    /// Links in every page's footer (legal notice, privacy, contact): at most 12.
    #[serde(default)]
    #[schemars(length(max = 12))]
    pub footer_links: Vec<BrandLink>,
    /// A box beside each RASCI table: whom to contact or escalate to.
    #[serde(default)]
    pub contact: Option<BrandContact>,
}

/// A link of the footer: its text and an `https://`, `http://` or `mailto:` address.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BrandLink {
    pub label: Located<String>,
    pub url: Located<String>,
}

/// The contact box beside each RASCI table.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BrandContact {
    /// Its heading, e.g. "Escalation".
    pub title: Located<String>,
    /// Plain text: whom to contact, when.
    pub text: Located<String>,
    /// An optional link under the text.
    #[serde(default)]
    pub link: Option<BrandLink>,
}

/// The brand as checked: what the layout and the site's files are made from.
#[derive(Debug, Clone, Default)]
pub struct Branding {
    /// The logo's path in the site (`static/brand/logo.<ext>`) and its bytes.
    pub logo: Option<(String, Vec<u8>)>,
    /// `#rrggbb`, lower case.
    pub accent: Option<String>,
    pub accent_dark: Option<String>,
    /// Label and parsed address of each footer link.
    pub footer_links: Vec<(String, String)>,
    /// Title, text and optional link (label, address) of the contact box.
    pub contact: Option<CheckedContact>,
}

/// The contact box as checked: title, text and an optional link (label, address).
pub type CheckedContact = (String, String, Option<(String, String)>);

/// The `templates:` section: the budget of one template render, so that a template that
/// loops without end or grows a string without end stops with an error naming it instead
/// of holding a build, `check --site` or `serve` for ever. The defaults are several times
/// what the built-in theme needs for its largest page of a 10,000-task project (the
/// comparison: 2 to 4 s and 32 to 64 MiB in an unoptimised build, a fraction of the time
/// in a release build), and low enough that a runaway is stopped in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TemplatesConfig {
    /// Milliseconds one render of one template may take (10 to 600000).
    #[serde(default = "templates::max_ms", deserialize_with = "templates::ms")]
    #[schemars(range(min = 10, max = 600_000))]
    pub(crate) max_render_ms: u64,
    /// Bytes of memory one render may hold, its output included (1 MiB to 4 GiB).
    #[serde(
        default = "templates::max_bytes",
        deserialize_with = "templates::bytes"
    )]
    #[schemars(range(min = 1_048_576, max = 4_294_967_296u64))]
    pub(crate) max_render_bytes: u64,
}

impl Default for TemplatesConfig {
    fn default() -> Self {
        TemplatesConfig {
            max_render_ms: templates::max_ms(),
            max_render_bytes: templates::max_bytes(),
        }
    }
}

/// The defaults and bounds of the `templates:` section.
mod templates {
    use serde::{Deserialize, Deserializer, de::Error};

    pub(crate) fn max_ms() -> u64 {
        10_000
    }
    pub(crate) fn max_bytes() -> u64 {
        256 << 20
    }
    fn within<'de, D: Deserializer<'de>>(
        d: D,
        min: u64,
        max: u64,
        unit: &str,
    ) -> Result<u64, D::Error> {
        let value = u64::deserialize(d)?;
        if (min..=max).contains(&value) {
            Ok(value)
        } else {
            Err(D::Error::custom(format!(
                "{value} is out of range: between {min} and {max} {unit}"
            )))
        }
    }
    pub(crate) fn ms<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        within(d, 10, 600_000, "milliseconds")
    }
    pub(crate) fn bytes<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        within(d, 1 << 20, 4 << 30, "bytes")
    }
}

/// A usable `edit_url` pattern, split at its `{path}`. Only [`EditUrl::parse`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditUrl {
    before: String,
    after: String,
}

/// The placeholder of `edit_url` that a page's source path replaces.
pub(crate) const EDIT_URL_PLACEHOLDER: &str = "{path}";

impl EditUrl {
    /// The pattern, or why it cannot make a link: an absolute `http(s)` address with a
    /// host, exactly one `{path}` after the host, no other braces, and nothing that could
    /// end an attribute or hide in one (white space, quotes, angle brackets, controls).
    pub fn parse(pattern: &str) -> Result<EditUrl, String> {
        let Some(rest) = pattern
            .strip_prefix("https://")
            .or_else(|| pattern.strip_prefix("http://"))
        else {
            return Err("not an absolute `http://` or `https://` address".into());
        };
        if let Some(c) = pattern
            .chars()
            .find(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`^|".contains(*c))
        {
            return Err(format!("{c:?} cannot stand in an address"));
        }
        let placeholders = pattern.matches(EDIT_URL_PLACEHOLDER).count();
        if placeholders != 1 {
            return Err(format!(
                "the pattern holds `{EDIT_URL_PLACEHOLDER}` {placeholders} times, not once"
            ));
        }
        let (before, after) = pattern
            .split_once(EDIT_URL_PLACEHOLDER)
            .expect("counted once above");
        if before.contains(['{', '}']) || after.contains(['{', '}']) {
            return Err(format!(
                "`{EDIT_URL_PLACEHOLDER}` is the only placeholder; other braces cannot stand in an address"
            ));
        }
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        if host.is_empty() || host.contains(EDIT_URL_PLACEHOLDER) {
            return Err("the address names no host before `{path}`".into());
        }
        Ok(EditUrl {
            before: before.to_string(),
            after: after.to_string(),
        })
    }

    /// The link to edit the file at `source_path` (from the project root, `/`-separated):
    /// every byte of the path but unreserved characters and `/` percent-encoded, so a file
    /// name can neither leave the path nor add a query. Escaping for HTML is the
    /// template's, as for every link.
    pub fn link(&self, source_path: &str) -> String {
        let mut link = self.before.clone();
        for byte in source_path.bytes() {
            if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
                link.push(char::from(byte));
            } else {
                link.push_str(&format!("%{byte:02X}"));
            }
        }
        link.push_str(&self.after);
        link
    }
}

/// The `matrix:` section: how the RASCI tables show their cells.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MatrixConfig {
    /// The order of the letters in a cell on the pages and in the CSV, XLSX and Markdown
    /// exports. The JSON export always lists them in RASCI order.
    #[serde(default)]
    pub(crate) letter_order: LetterOrder,
}

/// In which order a cell's letters are shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum LetterOrder {
    /// As the data writes them: `"A, R"` shows A, then R, as the writer meant to read it.
    #[default]
    Written,
    /// R, A, S, C, I, whatever the data's order: every cell reads the same way.
    Rasci,
}

/// The `labels:` section: the words the site itself puts around the project's data, in
/// the navigation, the breadcrumb, page titles and the search index. Each is plain text
/// (escaped wherever it is shown) and defaults to the English wording, so a project
/// written in another language can name them in its own.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Labels {
    /// The home page's entry in the navigation and the first link of every breadcrumb.
    #[serde(default = "labels::home")]
    pub(crate) home: String,
    /// The navigation group that holds the home page.
    #[serde(default = "labels::overview")]
    pub(crate) overview: String,
    /// The navigation group of the site-wide pages (comparison, parties, glossary), and
    /// the section search names for pages of no deployment.
    #[serde(default = "labels::reference")]
    pub(crate) reference: String,
    /// A deployment's RASCI page as its navigation group lists it.
    #[serde(default = "labels::deployment_page")]
    pub(crate) deployment_page: String,
    /// The title of a deployment's RASCI page, after the deployment's name and a colon.
    #[serde(default = "labels::deployment_title")]
    pub(crate) deployment_title: String,
    /// The page that compares the deployments (built when there are two or more).
    #[serde(default = "labels::compare")]
    pub(crate) compare: String,
    /// The glossary page.
    #[serde(default = "labels::glossary")]
    pub(crate) glossary: String,
    /// The page served for a missing address.
    #[serde(default = "labels::not_found")]
    pub(crate) not_found: String,
    /// What search adds after a deployment's name for a task of its RASCI table.
    #[serde(default = "labels::task")]
    pub(crate) task: String,
    /// The head of the RASCI table's first column, over the task titles and beside the
    /// parties' names.
    #[serde(default = "labels::task_column")]
    pub(crate) task_column: String,
    /// What a page says before the date it last changed.
    #[serde(default = "labels::last_updated")]
    pub(crate) last_updated: String,
    /// The heading over a deployment's systems and who manages them.
    #[serde(default = "labels::systems_overview")]
    pub(crate) systems_overview: String,
}

impl Default for Labels {
    fn default() -> Self {
        Labels {
            home: labels::home(),
            overview: labels::overview(),
            reference: labels::reference(),
            deployment_page: labels::deployment_page(),
            deployment_title: labels::deployment_title(),
            compare: labels::compare(),
            glossary: labels::glossary(),
            not_found: labels::not_found(),
            task: labels::task(),
            task_column: labels::task_column(),
            last_updated: labels::last_updated(),
            systems_overview: labels::systems_overview(),
        }
    }
}

/// The English default of each label: one function per key, as serde's `default` wants.
mod labels {
    pub(crate) fn home() -> String {
        "Home".into()
    }
    pub(crate) fn overview() -> String {
        "Overview".into()
    }
    pub(crate) fn reference() -> String {
        "Reference".into()
    }
    pub(crate) fn deployment_page() -> String {
        "RASCI and responsibilities".into()
    }
    pub(crate) fn deployment_title() -> String {
        "RASCI for operational support".into()
    }
    pub(crate) fn compare() -> String {
        "Compare deployments".into()
    }
    pub(crate) fn glossary() -> String {
        "Glossary".into()
    }
    pub(crate) fn not_found() -> String {
        "Page not found".into()
    }
    pub(crate) fn task() -> String {
        "task".into()
    }
    pub(crate) fn task_column() -> String {
        "Task & Involved party".into()
    }
    pub(crate) fn last_updated() -> String {
        "Last updated on".into()
    }
    pub fn systems_overview() -> String {
        "Systems overview".into()
    }
}

/// The `content:` section: how the Markdown pages under `content/` are rendered.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContentConfig {
    /// Keep raw HTML in content pages exactly as written, scripts and event handlers
    /// included. Off by default: raw HTML is then sanitised and every removal is a
    /// warning. Turn it on only when everyone who can change `content/` is trusted with
    /// the site's readers, since their HTML runs in the readers' browsers.
    #[serde(default)]
    pub(crate) trust_html: bool,
}

/// The `check:` section: how strict the checker is.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CheckConfig {
    /// Severity per rule id: `error`, `warning` or `off`.
    #[serde(default)]
    pub(crate) rules: Entries<Located<String>, Located<RuleLevel>>,
    /// Warn when one party is Accountable for more than this share of a scope's tasks.
    #[serde(default = "default_accountable_share", deserialize_with = "share")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub(crate) max_accountable_share: f64,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            rules: Entries::default(),
            max_accountable_share: default_accountable_share(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RuleLevel {
    Error,
    Warning,
    Off,
}

/// The built-in theme's name.
pub(crate) const BUILTIN_THEME: &str = "golive";

fn default_theme() -> Located<String> {
    Located::new(
        BUILTIN_THEME.to_string(),
        crate::source::Span::new(crate::source::FileId(0), 0, 0),
    )
}

/// Why `name` cannot name a folder under `themes/`, if it cannot: a theme is one plain
/// folder name, never a path.
pub(crate) fn theme_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("the theme name is empty")
    } else if name.starts_with('/') || name.starts_with('\\') || name.get(1..2) == Some(":") {
        Some("a theme is a folder name under `themes/`, not an absolute path")
    } else if name.split(['/', '\\']).any(|part| part == "..") {
        Some("`..` would lead out of `themes/`")
    } else if name.contains(['/', '\\']) {
        Some("a theme is one folder name under `themes/`, without `/`")
    } else if name.starts_with('.') {
        Some("a theme folder name does not start with a dot")
    } else if name.chars().any(char::is_control) {
        Some("the theme name holds a control character")
    } else {
        None
    }
}

fn default_language() -> String {
    "en".to_string()
}

fn default_last_updated() -> bool {
    true
}

fn default_accountable_share() -> f64 {
    0.6
}

/// Starts the message of a value that the reading of a field refuses although its type
/// is right (a share of 1.5, a language with a line break): the YAML reader reports it as
/// an invalid value at the value, in the words after this mark.
pub(crate) const REFUSED: &str = "rasci refuses this value: ";

/// `language`: a BCP 47 tag as `<html lang>` takes it (`en`, `de-CH`, `zh-Hant-TW`):
/// letters, then `-`-separated parts of letters and digits, at most 64 characters. It is
/// written into every page, so anything else (a line break, a quote) is refused.
fn language_tag<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let tag = String::deserialize(deserializer)?;
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    let fits = tag.len() <= 64
        && (2..=8).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if fits {
        Ok(tag)
    } else {
        Err(serde::de::Error::custom(format!(
            "{REFUSED}`language` is a language tag such as `en` or `de-CH`: letters, then parts of letters and digits joined by `-`"
        )))
    }
}

/// `max_accountable_share`: a share, from 0 to 1 (`.nan` and `.inf` are no share).
fn share<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    let share = f64::deserialize(deserializer)?;
    if (0.0..=1.0).contains(&share) {
        Ok(share)
    } else {
        Err(serde::de::Error::custom(format!(
            "{REFUSED}`max_accountable_share` is a share from 0 to 1, such as 0.6 for 60 %"
        )))
    }
}
