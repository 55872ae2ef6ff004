#[derive(Debug, PartialEq)]
pub struct LogEntry {
    pub level: String,
    pub module: String,
    pub message: String,
}

/// Parses lines like `[WARN] net: connection reset by peer`.
pub fn parse_line(line: &str) -> Option<LogEntry> {
    let mut parts = line.trim().split_whitespace();
    let level = parts.next()?.strip_prefix('[')?.strip_suffix(']')?.to_string();
    let module = parts.next()?.strip_suffix(':')?.to_string();
    let words: Vec<&str> = parts.collect();
    if words.is_empty() {
        return None;
    }
    Some(LogEntry { level, module, message: words.join(" ") })
}

pub fn count_level(log: &str, level: &str) -> usize {
    log.lines()
        .filter_map(parse_line)
        .filter(|e| e.level == level)
        .count()
}

pub fn modules_with_errors(log: &str) -> Vec<String> {
    let mut mods: Vec<String> = log
        .lines()
        .filter_map(parse_line)
        .filter(|e| e.level == "ERROR")
        .map(|e| e.module)
        .collect();
    mods.sort();
    mods.dedup();
    mods
}
