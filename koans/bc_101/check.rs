#[test]
fn describes_each_posting() {
    let mut ledger = Ledger::open(&["ann", "bo"]);
    assert_eq!(ledger.apply("ann", 500), Some("ann: 0 -> 500".to_string()));
    assert_eq!(ledger.apply("ann", -200), Some("ann: 500 -> 300".to_string()));
    assert_eq!(ledger.apply("bo", 75), Some("bo: 0 -> 75".to_string()));
}

#[test]
fn unknown_owner_posts_nothing() {
    let mut ledger = Ledger::open(&["ann"]);
    assert_eq!(ledger.apply("zed", 10), None);
    assert!(ledger.journal().is_empty());
    ledger.apply("ann", 10);
    ledger.apply("ann", -3);
    assert_eq!(ledger.journal(), &["#0 +10".to_string(), "#0 -3".to_string()]);
}
