#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub name: String,
    pub at: u32,
    pub every: Option<u32>,
}

pub fn job(name: &str, at: u32, every: Option<u32>) -> Job {
    Job { name: name.to_string(), at, every }
}

/// Adds the next occurrence of every repeating job (not repeating itself) up to `horizon`.
pub fn expand_once(jobs: &mut Vec<Job>, horizon: u32) -> usize {
    let next: Vec<Job> = jobs
        .iter()
        .filter_map(|j| j.every.map(|e| job(&j.name, j.at + e, None)))
        .filter(|j| j.at <= horizon)
        .collect();
    let added = next.len();
    jobs.extend(next);
    added
}

/// Jobs in time order; equal times keep their insertion order.
pub fn agenda(jobs: &[Job]) -> Vec<String> {
    let mut sorted: Vec<&Job> = jobs.iter().collect();
    sorted.sort_by_key(|j| j.at);
    sorted.iter().map(|j| format!("{}@{}", j.name, j.at)).collect()
}
