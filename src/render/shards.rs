//! The search index in shards, so that a reader's first search loads a bounded part of it
//! rather than the whole: at 10,000 pages the index was one 35 MB script.
//!
//! Three kinds of script, each a `.js` file that the theme's search adds as a `<script>`
//! element when it needs it (which works from `file://`, where `fetch` does not):
//!
//! - `search-index.js`, the manifest: the shards there are, and what the search must know
//!   of every entry to rank and group it (its scope, model, group and title length), in
//!   compact runs. It grows by some bytes per entry.
//! - `static/search/w<n>.js`, the word shards: every word of the entries, in lower case,
//!   with its stem and the entries that hold it in their title and in their text (as
//!   differences of entry numbers). Words are bucketed by their first two letters; a
//!   bucket over [`MAX_WORD_SHARD`] bytes is split by three letters, then four, and so
//!   on, so that a bucket is at most that size unless one word alone is more; then
//!   neighbouring buckets share a file while it stays within that size. The manifest
//!   names each bucket's letters and file, and each file's size.
//! - `static/search/r<n>.js`, the record shards: the entries themselves (title, address, place,
//!   text, scope, model, group), in entry order, at most [`MAX_RECORD_SHARD`] bytes each
//!   unless one entry alone is more. The search loads only those of the results it shows.
//!
//! Every file is made from the entries in their fixed order and from sorted maps: the
//! same site gives the same bytes. `docs/search-index.md` describes the format.

use super::search::{Groups, Part, script_safe, split_words};
use super::words::Stems;
use rayon::prelude::*;
use std::collections::HashMap;

/// The most bytes of a word shard, unless one word alone is more (a word found in more
/// than about 30,000 entries).
pub(crate) const MAX_WORD_SHARD: usize = 96 * 1024;

/// The most bytes of a record shard, unless one entry alone is more. The first twelve
/// results load at most twelve of them.
pub(crate) const MAX_RECORD_SHARD: usize = 24 * 1024;

/// Where the word shard `n` goes, from the site root.
fn word_shard(n: usize) -> String {
    format!("{}/w{n}.js", crate::plan::urls::SEARCH_SHARDS)
}

/// Where the record shard `n` goes, from the site root.
fn record_shard(n: usize) -> String {
    format!("{}/r{n}.js", crate::plan::urls::SEARCH_SHARDS)
}

/// One word of the index: the entries that hold it.
#[derive(Default)]
struct Postings {
    title: Vec<u32>,
    text: Vec<u32>,
}

/// The list of numbers as differences from the one before, the first from 0: the
/// numbers of the entries grow, and small differences are short to write.
fn deltas(ids: &[u32]) -> String {
    let mut out = String::with_capacity(ids.len() * 3 + 2);
    out.push('[');
    let mut last = 0;
    for (i, &id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&(id - last).to_string());
        last = id;
    }
    out.push(']');
    out
}

/// The first `n` characters of `word` (all of it when shorter).
fn prefix(word: &str, n: usize) -> &str {
    match word.char_indices().nth(n) {
        Some((at, _)) => &word[..at],
        None => word,
    }
}

/// Splits the sorted `words` (word, its record as JSON) into shards by their first `n`
/// characters, a shard over [`MAX_WORD_SHARD`] bytes again by one character more.
fn bucket<'a>(words: &[(&'a str, String)], n: usize, out: &mut Vec<(&'a str, String)>) {
    let mut start = 0;
    while start < words.len() {
        let key = prefix(words[start].0, n);
        let end = start
            + words[start..]
                .iter()
                .take_while(|(word, _)| prefix(word, n) == key)
                .count();
        let group = &words[start..end];
        let size: usize = group.iter().map(|(_, record)| record.len() + 1).sum();
        let longer = group.iter().any(|(word, _)| word.chars().count() > n);
        if size > MAX_WORD_SHARD && group.len() > 1 && longer {
            bucket(group, n + 1, out);
        } else {
            let records: Vec<&str> = group.iter().map(|(_, record)| record.as_str()).collect();
            out.push((key, records.join(",")));
        }
        start = end;
    }
}

/// Runs of equal values, as `[[value, count], …]`: consecutive entries mostly share
/// their scope and model.
fn runs<T: PartialEq + serde::Serialize>(values: impl Iterator<Item = T>) -> String {
    let mut runs: Vec<(T, usize)> = Vec::new();
    for value in values {
        match runs.last_mut() {
            Some((last, count)) if *last == value => *count += 1,
            _ => runs.push((value, 1)),
        }
    }
    serde_json::to_string(&runs).expect("runs serialize")
}

/// Digits of base 36, for the title lengths (one character an entry, at most 35).
const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// The files of the search index, path and text: the manifest, the word shards and the
/// record shards. The pages' entries come in page order, then the tasks'. Words are
/// stemmed in `language`, each distinct word once.
pub(crate) fn files(pages: &[Vec<Part>], tasks: &[Part], language: &str) -> Vec<(String, String)> {
    let parts: Vec<&Part> = pages.iter().flatten().chain(tasks).collect();
    let mut files = Vec::new();

    // Groups, numbered in the order first met; the manifest lists only the entries whose
    // group is not the next new one.
    let mut groups = Groups::default();
    let mut numbers = Vec::with_capacity(parts.len());
    let mut shared = Vec::new();
    let mut next = 0;
    for (id, part) in parts.iter().enumerate() {
        let g = groups.of(&part.group);
        if g == next {
            next += 1;
        } else {
            shared.push((id, g));
        }
        numbers.push(g);
    }

    // Record shards: each entry as the index of one script held it. The entries are
    // written on every thread, then packed in order.
    let entries: Vec<String> = parts
        .par_iter()
        .zip(&numbers)
        .map(|(part, number)| format!("{},\"g\":{number}}}", part.head))
        .collect();
    let mut firsts = Vec::new();
    let mut shard = String::new();
    let mut first = 0;
    let flush = |shard: &mut String, first: usize, files: &mut Vec<(String, String)>, n: usize| {
        files.push((
            record_shard(n),
            format!("RASCI_SEARCH_RECORDS({n}, {first}, [{shard}]);\n"),
        ));
        shard.clear();
    };
    for (id, entry) in entries.iter().enumerate() {
        if !shard.is_empty() && shard.len() + entry.len() + 1 > MAX_RECORD_SHARD {
            flush(&mut shard, first, &mut files, firsts.len());
            firsts.push(first);
            first = id;
        }
        if !shard.is_empty() {
            shard.push(',');
        }
        shard.push_str(entry);
    }
    if !shard.is_empty() {
        flush(&mut shard, first, &mut files, firsts.len());
        firsts.push(first);
    }
    drop(entries);

    // Word shards: the postings of runs of entries are gathered on every thread, then
    // joined in entry order, so each word's entries stay in ascending order.
    let postings: HashMap<&str, Postings> = parts
        .par_iter()
        .enumerate()
        .fold(HashMap::new, |mut postings, (id, part)| {
            let id = u32::try_from(id).expect("fewer than 2^32 entries");
            for (at, word) in split_words(&part.words).enumerate() {
                let entry: &mut Postings = postings.entry(word).or_default();
                if at < part.title_words {
                    entry.title.push(id);
                } else {
                    entry.text.push(id);
                }
            }
            postings
        })
        .reduce(HashMap::new, |mut left, right| {
            for (word, mut later) in right {
                let entry = left.entry(word).or_default();
                entry.title.append(&mut later.title);
                entry.text.append(&mut later.text);
            }
            left
        });
    let mut postings: Vec<(&str, Postings)> = postings.into_iter().collect();
    postings.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let stems = Stems::new(language);
    let records: Vec<(&str, String)> = postings
        .into_par_iter()
        .map(|(word, postings)| {
            let stem = stems.of(word).unwrap_or_default();
            let record = format!(
                "[{},{},{},{}]",
                serde_json::to_string(word).expect("words serialize"),
                serde_json::to_string(&stem).expect("stems serialize"),
                deltas(&postings.title),
                deltas(&postings.text)
            );
            (word, script_safe(&record))
        })
        .collect();
    let mut buckets = Vec::new();
    bucket(&records, 2, &mut buckets);
    // Neighbouring buckets share a file while it stays within the bound: a small site's
    // words are then a few files, not one per two letters.
    let mut keys = Vec::with_capacity(buckets.len());
    let mut sizes = Vec::new();
    let mut shard = String::new();
    let write = |shard: &mut String, files: &mut Vec<(String, String)>, sizes: &mut Vec<usize>| {
        let n = sizes.len();
        let text = format!("RASCI_SEARCH_WORDS({n}, [{shard}]);\n");
        sizes.push(text.len());
        files.push((word_shard(n), text));
        shard.clear();
    };
    for (key, records) in buckets {
        if !shard.is_empty() && shard.len() + records.len() + 1 > MAX_WORD_SHARD {
            write(&mut shard, &mut files, &mut sizes);
        }
        if !shard.is_empty() {
            shard.push(',');
        }
        shard.push_str(&records);
        keys.push((key, sizes.len()));
    }
    if !shard.is_empty() {
        write(&mut shard, &mut files, &mut sizes);
    }

    // The manifest.
    let lengths: String = parts
        .iter()
        .map(|part| char::from(DIGITS[part.title_len.min(35)]))
        .collect();
    let manifest = format!(
        "{{\"words\":{},\"sizes\":{},\"records\":{},\"entries\":{},\"d\":{},\"m\":{},\"g\":{},\"l\":\"{lengths}\"}}",
        serde_json::to_string(&keys).expect("keys serialize"),
        serde_json::to_string(&sizes).expect("numbers serialize"),
        serde_json::to_string(&firsts).expect("numbers serialize"),
        parts.len(),
        runs(parts.iter().map(|part| part.scope)),
        runs(parts.iter().map(|part| part.model)),
        serde_json::to_string(&shared).expect("numbers serialize"),
    );
    files.push((
        crate::plan::urls::SEARCH_INDEX_JS.to_string(),
        format!("window.RASCI_SEARCH = {};\n", script_safe(&manifest)),
    ));
    files
}

#[cfg(test)]
mod tests {
    use super::{bucket, deltas, prefix, runs};

    #[test]
    fn numbers_are_written_as_differences() {
        assert_eq!(deltas(&[]), "[]");
        assert_eq!(deltas(&[3, 4, 10]), "[3,1,6]");
    }

    #[test]
    fn a_large_shard_is_split_by_one_letter_more() {
        assert_eq!(prefix("éte", 2), "ét");
        assert_eq!(prefix("a", 2), "a");
        let big = "x".repeat(super::MAX_WORD_SHARD / 2 + 1);
        let words = [
            ("ab", String::from("1")),
            ("co", String::from("2")),
            ("coa", big.clone()),
            ("cob", big.clone()),
            ("cobb", String::from("3")),
            ("d", String::from("4")),
        ];
        let mut out = Vec::new();
        bucket(&words, 2, &mut out);
        let keys: Vec<&str> = out.iter().map(|(key, _)| *key).collect();
        assert_eq!(keys, ["ab", "co", "coa", "cob", "d"]);
        assert_eq!(out[3].1, format!("{big},3"));
    }

    #[test]
    fn runs_count_equal_neighbours() {
        assert_eq!(
            runs([None, None, Some(1), Some(1), None].into_iter()),
            "[[null,2],[1,2],[null,1]]"
        );
    }
}
