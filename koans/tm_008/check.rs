fn loan(title: &str, days_out: u32) -> Loan {
    Loan { title: title.to_string(), days_out }
}

#[test]
fn fines_are_capped() {
    assert_eq!(fine_cents(&loan("a", 3)), 0);
    assert_eq!(fine_cents(&loan("b", 14)), 0);
    assert_eq!(fine_cents(&loan("c", 15)), 25);
    assert_eq!(fine_cents(&loan("d", 20)), 150);
    assert_eq!(fine_cents(&loan("e", 200)), 1000);
}

#[test]
fn lists_overdue() {
    let loans = vec![loan("Dune", 20), loan("Emma", 3), loan("Ulysses", 15)];
    assert_eq!(overdue_titles(&loans), vec!["Dune", "Ulysses"]);
    assert!(overdue_titles(&[loan("x", 1)]).is_empty());
}
