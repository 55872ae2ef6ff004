#[test]
fn looks_up_stock() {
    let w = Warehouse::new(&[("bolt", 40), ("nut", 0)]);
    assert_eq!(w.stock("bolt"), 40);
    assert_eq!(w.stock("nut"), 0);
    assert_eq!(w.stock("gear"), 0);
}

#[test]
fn reports_shortfalls() {
    let w = Warehouse::new(&[("bolt", 40), ("nut", 3)]);
    let short = w.shortfalls(&[("bolt", 40), ("nut", 5), ("gear", 2), ("bolt", 41)]);
    assert_eq!(short, vec!["nut short by 2", "gear short by 2", "bolt short by 1"]);
}
