#[derive(Debug, PartialEq)]
pub struct Task {
    pub name: String,
    pub start: u32,
    pub minutes: u32,
}

/// Appends a task right after the last scheduled one and describes the result.
pub fn schedule(tasks: &mut Vec<Task>, name: &str, minutes: u32) -> String {
    let (start, after) = match tasks.last() {
        Some(t) => (t.start + t.minutes, t.name.clone()),
        None => (0, "nothing".to_string()),
    };
    tasks.push(Task { name: name.to_string(), start, minutes });
    format!("{} starts at {} after {}", name, start, after)
}

pub fn end_of_day(tasks: &[Task]) -> u32 {
    tasks.iter().map(|t| t.start + t.minutes).max().unwrap_or(0)
}
