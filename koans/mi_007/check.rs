#[test]
fn formats_prices() {
    assert_eq!(format_price(975, "EUR"), "9.75 EUR");
    assert_eq!(format_price(5, "USD"), "0.05 USD");
    assert_eq!(format_price(120000, "GBP"), "1200.00 GBP");
}

#[test]
fn builds_invoice() {
    let order = Order {
        id: 7,
        currency: "CHF".to_string(),
        lines: vec![("tea".to_string(), 3, 250), ("cake".to_string(), 1, 480)],
    };
    assert_eq!(order_total(&order), 1230);
    assert_eq!(
        invoice_lines(&order),
        vec!["Invoice #7", "3 x tea @ 2.50 CHF", "1 x cake @ 4.80 CHF", "Total: 12.30 CHF"]
    );
}
