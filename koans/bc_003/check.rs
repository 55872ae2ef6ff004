#[test]
fn first_task_starts_at_zero() {
    let mut tasks = Vec::new();
    assert_eq!(schedule(&mut tasks, "standup", 15), "standup starts at 0 after nothing");
    assert_eq!(tasks, vec![Task { name: "standup".to_string(), start: 0, minutes: 15 }]);
}

#[test]
fn tasks_chain_one_after_another() {
    let mut tasks = Vec::new();
    schedule(&mut tasks, "standup", 15);
    assert_eq!(schedule(&mut tasks, "review", 45), "review starts at 15 after standup");
    assert_eq!(schedule(&mut tasks, "deploy", 30), "deploy starts at 60 after review");
    assert_eq!(tasks.len(), 3);
    assert_eq!(tasks[2].start, 60);
    assert_eq!(end_of_day(&tasks), 90);
    assert_eq!(end_of_day(&[]), 0);
}
