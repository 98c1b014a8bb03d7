//! Diagrams: flows and systems overviews drawn as SVG at build time.
