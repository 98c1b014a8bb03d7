//! Render: Markdown, templates and pages of the static site (filled in by the site work).
