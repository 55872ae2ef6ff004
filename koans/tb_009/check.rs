fn lines(text: &str) -> Vec<String> {
    text.lines().map(String::from).collect()
}

#[test]
fn splits_work_round_robin() {
    let l = lines("ERROR a\nINFO b\nERROR c\nERROR d\nINFO e\nERROR f");
    assert_eq!(count_matches(l.clone(), "ERROR", 2), vec![2, 2]);
    assert_eq!(count_matches(l.clone(), "ERROR", 3), vec![2, 0, 2]);
    assert_eq!(count_matches(l, "INFO", 1), vec![2]);
}

#[test]
fn no_matches_and_more_workers_than_lines() {
    assert_eq!(count_matches(lines("a\nb"), "ERROR", 2), vec![0, 0]);
    assert_eq!(count_matches(lines("ERROR x"), "ERROR", 3), vec![1, 0, 0]);
}
