use std::collections::HashSet;

fn normalise(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Counts lines that repeat an earlier line, ignoring case and spacing; blank lines never count.
pub fn count_repeats(text: &str) -> usize {
    let mut seen = HashSet::new();
    let mut repeats = 0;
    for line in text.lines() {
        let key = normalise(line);
        if key.is_empty() {
            continue;
        }
        if !seen.insert(&key) {
            repeats += 1;
        }
    }
    repeats
}

/// The distinct non-blank lines, normalised, in order of first appearance.
pub fn distinct(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines().map(normalise).filter(|l| !l.is_empty()) {
        if !out.contains(&line) {
            out.push(line);
        }
    }
    out
}
