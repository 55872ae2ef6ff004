#[test]
fn formats_each_range() {
    assert_eq!(countdown(0), "now");
    assert_eq!(countdown(59), "in 59s");
    assert_eq!(countdown(60), "in 1m");
    assert_eq!(countdown(3599), "in 59m");
    assert_eq!(countdown(3600 * 2 + 5 * 60 + 9), "in 2h05m");
}

#[test]
fn sorts_tasks_by_start() {
    let lines = status_lines(&[("backup", 7200), ("lint", 0), ("email", 90)]);
    assert_eq!(lines, vec!["lint: now", "email: in 1m", "backup: in 2h00m"]);
}
