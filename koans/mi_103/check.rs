#[test]
fn parses_prices() {
    assert_eq!(money::parse_cents("$12.5"), Some(1250));
    assert_eq!(money::parse_cents(" 3.07 "), Some(307));
    assert_eq!(money::parse_cents("40"), Some(4000));
    assert_eq!(money::parse_cents("1.234"), None);
    assert_eq!(money::parse_cents(".5"), None);
    assert_eq!(money::parse_cents("1.x"), None);
}

#[test]
fn totals_a_receipt() {
    let (total, rejected) = receipt_total(&["$2.50", "bread", "0.9", "10"]);
    assert_eq!(total, "$13.40");
    assert_eq!(rejected, vec!["bread"]);
    assert_eq!(receipt_total(&[]).0, "$0.00");
}
