#[test]
fn counts_repeated_shots() {
    let counts = count_shots(&["B3", "A1", "B3", "C10", "B3"]);
    assert_eq!(counts.len(), 3);
    assert_eq!(hits_at(&counts, 3, 1), 3);
    assert_eq!(hits_at(&counts, 1, 0), 1);
    assert_eq!(hits_at(&counts, 10, 2), 1);
    assert_eq!(hits_at(&counts, 2, 2), 0);
}

#[test]
fn skips_malformed_shots() {
    let counts = count_shots(&["b3", "Z", "", "Q7x", "D4"]);
    assert_eq!(counts.len(), 1);
    assert_eq!(hits_at(&counts, 4, 3), 1);
}
