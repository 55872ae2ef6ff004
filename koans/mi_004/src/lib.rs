#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    Queued,
    Running,
    Done,
    Failed,
}

pub fn transition(state: JobState, event: &str) -> Option<JobState> {
    match (state, event) {
        (JobState::Queued, "start") => Some(JobState::Running),
        (JobState::Running, "pause") => Some(JobState::Paused),
        (JobState::Paused, "resume") => Some(JobState::Running),
        (JobState::Running, "finish") => Some(JobState::Done),
        (JobState::Running | JobState::Paused, "crash") => Some(JobState::Failed),
        _ => None,
    }
}

/// Applies events in order, ignoring the ones that are invalid in the
/// current state. Returns the final state and the number of ignored events.
pub fn replay(events: &[&str]) -> (JobState, usize) {
    let mut state = JobState::Queued;
    let mut ignored = 0;
    for event in events {
        match transition(state, event) {
            Some(next) => state = next,
            None => ignored += 1,
        }
    }
    (state, ignored)
}
