//! The RASCI letters as every template receives them: a leaf, so that the theme can give
//! them to every template without depending on the page views.

use crate::config::LetterOrder;
use crate::model::{Cell, Letter, LetterSet};
use serde::Serialize;

/// One RASCI letter, as `partials/badge.html` and the legend show it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LetterView {
    /// `R`, `A`, `S`, `C` or `I`.
    pub(crate) letter: &'static str,
    /// The letter in lower case, for CSS classes such as `badge-r`.
    pub(crate) lower: String,
    /// `Responsible`, ...
    pub(crate) name: &'static str,
    /// What the letter means, one sentence.
    pub(crate) meaning: &'static str,
}

impl LetterView {
    pub(crate) fn of(letter: Letter) -> Self {
        LetterView {
            letter: letter.as_str(),
            lower: letter.as_str().to_lowercase(),
            name: letter.name(),
            meaning: letter.meaning(),
        }
    }

    /// The letters of a set, in RASCI order (the letters a group of tasks shares).
    pub(crate) fn set(set: LetterSet) -> Vec<LetterView> {
        set.iter().map(LetterView::of).collect()
    }

    /// The five letters in RASCI order, as every template receives them (`letters`).
    pub(crate) fn all() -> Vec<LetterView> {
        Letter::ALL.into_iter().map(LetterView::of).collect()
    }

    /// A matrix cell's letters, in the order the config's `matrix.letter_order` asks for;
    /// none for a party without a cell.
    pub(crate) fn cell(cell: Option<&Cell>, order: LetterOrder) -> Vec<LetterView> {
        cell.map_or_else(Vec::new, |cell| {
            cell.letters_in(order)
                .into_iter()
                .map(LetterView::of)
                .collect()
        })
    }
}
