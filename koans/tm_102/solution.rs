/// How long until a task starts, for a scheduler's status line.
pub fn countdown(seconds: u64) -> String {
    match seconds {
        0 => "now".to_string(),
        1..=59 => format!("in {}s", seconds),
        60..=3599 => format!("in {}m", seconds / 60),
        _ => format!("in {}h{:02}m", seconds / 3600, seconds % 3600 / 60),
    }
}

/// One line per task, soonest first: `name: countdown`.
pub fn status_lines(tasks: &[(&str, u64)]) -> Vec<String> {
    let mut sorted = tasks.to_vec();
    sorted.sort_by_key(|&(_, s)| s);
    sorted
        .iter()
        .map(|(name, s)| format!("{}: {}", name, countdown(*s)))
        .collect()
}
