#[test]
fn report_lists_low_items_sorted() {
    let mut inv = Inventory::new();
    inv.restock("pear", 2, 45);
    inv.restock("apple", 10, 30);
    inv.restock("fig", 1, 99);
    let report = inv.low_stock_report(5);
    assert_eq!(
        report,
        vec![
            "LOW Item { name: \"fig\", quantity: 1, price_cents: 99 }".to_string(),
            "LOW Item { name: \"pear\", quantity: 2, price_cents: 45 }".to_string(),
        ]
    );
}

#[test]
fn selling_moves_items_into_report() {
    let mut inv = Inventory::new();
    inv.restock("apple", 10, 30);
    assert!(inv.sell("apple", 8));
    assert!(!inv.sell("apple", 3));
    assert!(!inv.sell("kiwi", 1));
    assert_eq!(inv.low_stock_report(5), vec!["LOW Item { name: \"apple\", quantity: 2, price_cents: 30 }".to_string()]);
    inv.restock("apple", 5, 35);
    assert!(inv.low_stock_report(5).is_empty());
}
