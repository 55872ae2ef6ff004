#[test]
fn adds_next_occurrences_within_horizon() {
    let mut jobs = vec![job("backup", 10, Some(60)), job("deploy", 30, None), job("ping", 50, Some(5))];
    assert_eq!(expand_once(&mut jobs, 70), 2);
    assert_eq!(jobs.len(), 5);
    assert_eq!(jobs[3], job("backup", 70, None));
    assert_eq!(jobs[4], job("ping", 55, None));
    assert_eq!(agenda(&jobs), vec!["backup@10", "deploy@30", "ping@50", "ping@55", "backup@70"]);
}

#[test]
fn nothing_beyond_the_horizon() {
    let mut jobs = vec![job("backup", 10, Some(60)), job("once", 5, None)];
    assert_eq!(expand_once(&mut jobs, 69), 0);
    assert_eq!(jobs.len(), 2);
    let mut none: Vec<Job> = Vec::new();
    assert_eq!(expand_once(&mut none, 100), 0);
}
