use std::num::ParseIntError;

/// Parses a line of comma-separated scores; one bad score fails the whole line.
pub fn parse_scores(line: &str) -> Result<Vec<u32>, ParseIntError> {
    let scores = line
        .split(',')
        .map(|s| s.trim().parse::<u32>()?)
        .collect();
    Ok(scores)
}

/// Best total per line, skipping lines that do not parse; None when no line parses.
pub fn best_line(text: &str) -> Option<(usize, u32)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| parse_scores(l).ok().map(|s| (i + 1, s.iter().sum::<u32>())))
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
}
