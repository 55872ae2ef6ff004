fn exp(category: &str, cents: u64) -> Expense {
    Expense { category: category.to_string(), cents }
}

#[test]
fn report_layout() {
    let r = monthly_report("March", &[exp("rent", 90000), exp("food", 23455), exp("bus", 5)]);
    let lines: Vec<&str> = r.lines().collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0], "== March ==");
    assert_eq!(lines[1], "rent         900.00");
    assert_eq!(lines[3], "bus            0.05");
    assert_eq!(lines[4], "TOTAL       1134.60");
}

#[test]
fn empty_month() {
    assert_eq!(monthly_report("May", &[]), "== May ==\nTOTAL          0.00");
    assert_eq!(euros(1234), "12.34");
}
