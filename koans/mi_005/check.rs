#[test]
fn subtotal_and_total() {
    let mut cart = Cart::new();
    assert_eq!(cart.subtotal(), 0);
    cart.add("pen", 150, 4);
    cart.add("notebook", 899, 1);
    assert_eq!(cart.subtotal(), 1499);
    assert_eq!(cart.total(), 1499);
    cart.apply_coupon(10);
    assert_eq!(cart.total(), 1350);
    cart.apply_coupon(250);
    assert_eq!(cart.total(), 0);
}

#[test]
fn receipt_text() {
    let mut cart = Cart::new();
    cart.add("mug", 1200, 2);
    cart.apply_coupon(25);
    assert_eq!(receipt(&cart), "items: 1 | subtotal: 2400 | total: 1800");
}
