use std::collections::BTreeMap;

/// Extracts the level from lines like "2024-05-01 12:00:00 [WARN] disk almost full".
fn level_of(line: &str) -> Option<&str> {
    let open = line.find('[')?;
    let close = line[open..].find(']')? + open;
    Some(&line[open + 1..close])
}

fn level_histogram(log: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for line in log.lines() {
        if let Some(level) = level_of(line) {
            *counts.entry(level.to_uppercase()).or_insert(0) += 1;
        }
    }
    counts
}

fn main() {
    let log = "2024-05-01 12:00:00 [INFO] boot\n\
               2024-05-01 12:00:03 [WARN] disk almost full\n\
               2024-05-01 12:00:09 [info] ready";
    for (level, n) in level_histogram(log) {
        println!("{level:>5} {n}");
    }
}
