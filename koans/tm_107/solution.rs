use std::collections::HashMap;

/// Word positions in a text, by normalised word.
pub struct WordIndex {
    positions: HashMap<String, Vec<usize>>,
}

fn normalise(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()
}

impl WordIndex {
    pub fn build(text: &str) -> WordIndex {
        let mut positions: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, raw) in text.split_whitespace().enumerate() {
            let word = normalise(raw);
            if !word.is_empty() {
                positions.entry(word).or_default().push(i);
            }
        }
        WordIndex { positions }
    }

    /// Where a word occurs, matching the way the index was built.
    pub fn lookup(&self, word: &str) -> &[usize] {
        let key = normalise(word);
        self.positions.get(&key).map_or(&[], |v| v.as_slice())
    }

    pub fn vocabulary(&self) -> usize {
        self.positions.len()
    }
}
