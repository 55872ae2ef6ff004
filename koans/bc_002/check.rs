fn item(name: &str, qty: u32, unit_cents: u32) -> LineItem {
    LineItem { name: name.to_string(), qty, unit_cents }
}

#[test]
fn order_total() {
    let o = Order { id: 1, items: vec![item("pen", 3, 150), item("pad", 2, 400)] };
    assert_eq!(o.total(), 1250);
    assert_eq!(Order { id: 2, items: vec![] }.total(), 0);
}

#[test]
fn close_logs_and_archives() {
    let mut l = Ledger::new();
    l.close(Order { id: 7, items: vec![item("pen", 3, 150), item("pad", 2, 400)] });
    l.close(Order { id: 8, items: vec![item("ink", 1, 999)] });
    assert_eq!(l.log, vec!["closed order 7 for 1250 cents", "closed order 8 for 999 cents"]);
    assert_eq!(l.archived.len(), 2);
    assert_eq!(l.archived[1].id, 8);
    assert_eq!(l.archived[0].items[1].name, "pad");
    assert_eq!(l.revenue(), 2249);
}
