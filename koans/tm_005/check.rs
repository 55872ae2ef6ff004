#[test]
fn costs_per_delivery() {
    assert_eq!(shipping_cost(&Delivery::Pickup, 3.0), 0.0);
    assert!((shipping_cost(&Delivery::Standard(Zone::Local), 2.0) - 5.0).abs() < 1e-9);
    assert!((shipping_cost(&Delivery::Standard(Zone::International), 2.0) - 9.0).abs() < 1e-9);
    assert!((shipping_cost(&Delivery::Express(Zone::National), 1.0) - 15.0).abs() < 1e-9);
}

#[test]
fn picks_cheapest() {
    let opts = vec![Delivery::Express(Zone::Local), Delivery::Standard(Zone::National), Delivery::Pickup];
    assert_eq!(cheapest(&opts, 1.0), Some(2));
    let opts = vec![Delivery::Express(Zone::Local), Delivery::Standard(Zone::International)];
    assert_eq!(cheapest(&opts, 4.0), Some(1));
    assert_eq!(cheapest(&[], 1.0), None);
}
