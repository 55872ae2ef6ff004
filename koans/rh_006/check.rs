fn cart() -> Cart {
    let mut c = Cart::new();
    c.add_promo("SPRING10", 10, 2000);
    c.add_promo("BIG50", 50, 100_000);
    c.add_item("kettle", 2500);
    c.add_item("mug", 500);
    c
}

#[test]
fn known_code_applies_discount() {
    let mut c = cart();
    assert_eq!(c.subtotal(), 3000);
    assert!(c.apply_code("SPRING10"));
    assert_eq!(c.total(), 2700);
}

#[test]
fn unknown_code_is_ignored() {
    let mut c = cart();
    assert!(!c.apply_code("NOPE"));
    assert_eq!(c.total(), 3000);
}

#[test]
fn minimum_subtotal_is_enforced() {
    let mut c = cart();
    assert!(!c.apply_code("BIG50"));
    assert_eq!(c.total(), 3000);
    c.add_item("sofa", 97_000);
    assert!(c.apply_code("BIG50"));
    assert_eq!(c.total(), 50_000);
}
