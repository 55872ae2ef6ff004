use std::collections::HashMap;

/// Counts words case-insensitively, most frequent first (ties alphabetical).
pub fn word_counts(text: &str) -> Vec<(String, usize)> {
    let mut counts = HashMap::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    let mut pairs: Vec<(String, usize)> = counts.into_iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    pairs
}

pub fn top_words(text: &str, n: usize) -> Vec<String> {
    word_counts(text)
        .into_iter()
        .take(n)
        .map(|(word, _)| word)
        .collect()
}

pub fn distinct_words(text: &str) -> usize {
    word_counts(text).len()
}
