//! The hostile-input suite, one module per class of attack: markup in the data
//! (`markup`), and what the newer commands must withstand (links that lead out, injection
//! through import, inputs that inflate, runaway templates, closed output, kills).

mod import;
mod kills;
mod markup;
mod output;
mod templates;
mod writes;
