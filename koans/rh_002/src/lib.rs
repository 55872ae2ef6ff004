use std::collections::HashMap;

/// Counts word frequencies in text, ignoring a list of stop words.
pub struct WordCounter {
    counts: HashMap<String, usize>,
    stop_words: Vec<String>,
}

impl WordCounter {
    pub fn new(stop_words: &[&str]) -> Self {
        WordCounter {
            counts: HashMap::new(),
            stop_words: stop_words.iter().map(|w| w.to_lowercase()).collect(),
        }
    }

    pub fn add_text(&mut self, text: &str) {
        for raw in text.split_whitespace() {
            let word = raw
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            if word.is_empty() || self.stop_words.contains(&word) {
                continue;
            }
            let seen = self.counts.get(&word).copied();
            self.counts.insert(word, seen + 1);
        }
    }

    pub fn count(&self, word: &str) -> usize {
        match self.counts.get(&word.to_lowercase()) {
            Some(n) => *n,
            None => 0,
        }
    }

    /// The most frequent word; ties go to the alphabetically first word.
    pub fn most_common(&self) -> Option<(&str, usize)> {
        self.counts
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(w, n)| (w.as_str(), *n))
    }
}
