#[test]
fn finds_readings_above_limit() {
    assert_eq!(over_limit(&[10, 55, 50, 70, 3], 50), vec![1, 3]);
    assert!(over_limit(&[], 0).is_empty());
}

#[test]
fn measures_longest_breach() {
    assert_eq!(longest_breach(&[60, 61, 20, 70, 71, 72, 10], 50), 3);
    assert_eq!(longest_breach(&[50, 50], 50), 0);
    assert_eq!(longest_breach(&[51], 50), 1);
}
