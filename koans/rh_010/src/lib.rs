use std::fs;
use std::path::Path;

/// Reads a scoreboard file of "name,score" lines.
/// Blank lines and lines whose score is not a number are skipped.
pub fn load_scores(path: &Path) -> Vec<(String, u32)> {
    let text = fs::read_to_string(path)?;
    let mut scores = Vec::new();
    for line in text.lines() {
        if let Some((name, score)) = line.split_once(',') {
            if let Ok(points) = score.trim().parse::<u32>() {
                scores.push((name.trim().to_string(), points));
            }
        }
    }
    scores
}

/// The highest score; on a tie the entry listed first wins.
pub fn leader(scores: &[(String, u32)]) -> Option<&str> {
    let mut best: Option<&(String, u32)> = None;
    for entry in scores {
        match best {
            Some(b) if b.1 >= entry.1 => {}
            _ => best = Some(entry),
        }
    }
    best.map(|(name, _)| name.as_str())
}
