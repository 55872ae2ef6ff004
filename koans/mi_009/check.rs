#[test]
fn settles_ledger() {
    assert_eq!(settle(&["dep 100", "wd 30", "wd 500", "fee 2", "oops"]), (68, 2));
    assert_eq!(settle(&[]), (0, 0));
}

#[test]
fn fees_can_go_negative_but_withdrawals_cannot() {
    assert_eq!(settle(&["fee 5", "wd 1"]), (-5, 1));
    assert_eq!(settle(&["dep 10", "wd 10", "dep 3", "xfer 9"]), (3, 1));
    assert!(parse_txn("dep ten").is_none());
}
