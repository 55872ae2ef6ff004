#[test]
fn applies_credits_and_debits() {
    let mut ledger = Ledger::new();
    assert!(ledger.apply(&["alice 1000", "", "bob 250", "alice -300"]).is_ok());
    assert_eq!(ledger.balance("alice"), 700);
    assert_eq!(ledger.balance("bob"), 250);
    assert_eq!(ledger.balance("carol"), 0);
    assert_eq!(ledger.accounts(), 2);
}

#[test]
fn bad_amount_is_reported() {
    let mut ledger = Ledger::new();
    let result = ledger.apply(&["dave 40", "dave twelve", "dave 5"]);
    assert!(result.is_err());
    assert_eq!(ledger.balance("dave"), 40);
    assert!(ledger.apply(&["erin"]).is_err());
    assert_eq!(ledger.balance("erin"), 0);
}
