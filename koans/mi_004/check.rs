#[test]
fn single_transitions() {
    assert_eq!(transition(JobState::Queued, "start"), Some(JobState::Running));
    assert_eq!(transition(JobState::Running, "pause"), Some(JobState::Paused));
    assert_eq!(transition(JobState::Paused, "resume"), Some(JobState::Running));
    assert_eq!(transition(JobState::Paused, "crash"), Some(JobState::Failed));
    assert_eq!(transition(JobState::Paused, "finish"), None);
    assert_eq!(transition(JobState::Done, "start"), None);
}

#[test]
fn replays_event_streams() {
    assert_eq!(replay(&["start", "pause", "resume", "finish"]), (JobState::Done, 0));
    assert_eq!(replay(&["pause", "start", "pause", "finish"]), (JobState::Paused, 2));
    assert_eq!(replay(&["start", "pause", "crash", "resume"]), (JobState::Failed, 1));
    assert_eq!(replay(&[]), (JobState::Queued, 0));
}
