#[test]
fn money_display() {
    assert_eq!(Money::from_cents(405).to_string(), "$4.05");
    assert_eq!(Money::from_cents(12000).to_string(), "$120.00");
    assert_eq!(Money::from_cents(7).to_string(), "$0.07");
}

#[test]
fn receipt_lines_and_total() {
    let items = vec![
        LineItem { name: "coffee".into(), unit_price: Money::from_cents(350), qty: 2 },
        LineItem { name: "bagel".into(), unit_price: Money::from_cents(199), qty: 1 },
    ];
    assert_eq!(
        receipt(&items),
        "coffee x2 @ $3.50 = $7.00\nbagel x1 @ $1.99 = $1.99\nTOTAL $8.99\n"
    );
    assert_eq!(receipt(&[]), "TOTAL $0.00\n");
}
