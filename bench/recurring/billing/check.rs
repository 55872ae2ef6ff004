// 100_000 x 100_000 = 10^10 does not fit a u32 (max 4_294_967_295).

#[test]
fn subtotal_small_and_large() {
    assert_eq!(LineItem::new("cpu", 3, 1_250).subtotal(), 3_750);
    assert_eq!(LineItem::new("disk", 100_000, 100_000).subtotal(), 10_000_000_000);
    assert_eq!(LineItem::new("max", u32::MAX, u32::MAX).subtotal(), 18_446_744_065_119_617_025);
}

#[test]
fn bulk_orders_do_not_overflow() {
    assert_eq!(bulk_order_cents(2, 10, 99), 1_980);
    assert_eq!(bulk_order_cents(40, 1_200, 250_000), 12_000_000_000);
    assert_eq!(bulk_order_cents(100_000, 50_000, 1), 5_000_000_000);
}

#[test]
fn subscription_months() {
    let sub = Subscription { plan: "team".into(), seats: 12, seat_cents: 1_500, months: 12 };
    assert_eq!(sub.monthly_cents(), 18_000);
    assert_eq!(sub.term_cents(), 216_000);
    assert_eq!(sub.seat_months(), 144);
}

#[test]
fn enterprise_subscription() {
    let sub = Subscription { plan: "enterprise".into(), seats: 250_000, seat_cents: 20_000, months: 36 };
    assert_eq!(sub.monthly_cents(), 5_000_000_000);
    assert_eq!(sub.term_cents(), 180_000_000_000);
    let long = Subscription { plan: "archive".into(), seats: 100_000, seat_cents: 1, months: 50_000 };
    assert_eq!(long.seat_months(), 5_000_000_000);
}

#[test]
fn storage_gb_days() {
    assert_eq!(storage_cents(100, 30, 2), 6_000);
    assert_eq!(storage_cents(5_000_000, 1_000, 3), 15_000_000_000);
}

#[test]
fn compute_hours() {
    assert_eq!(compute_cents(4, 24, 12), 1_152);
    assert_eq!(compute_cents(20_000, 8_760, 45), 7_884_000_000);
    assert_eq!(compute_cents(1_000_000, 10_000, 1), 10_000_000_000);
}

#[test]
fn bandwidth_rounds_megabytes_up() {
    assert_eq!(bandwidth_cents(1, 7), 7);
    assert_eq!(bandwidth_cents(2_000_001, 7), 21);
}

#[test]
fn discounts() {
    assert_eq!(apply_discount(10_000, 2_500), Ok(7_500));
    assert_eq!(apply_discount(999, 1), Ok(999));
    assert_eq!(apply_discount(10_000, 10_001), Err(BillingError::DiscountTooLarge { bp: 10_001 }));
}

#[test]
fn invoice_totals() {
    let mut invoice = Invoice::new("Initech");
    assert_eq!(invoice.total(), Err(BillingError::NoLines));
    invoice.add(LineItem::new("disk", 100_000, 100_000)).unwrap();
    invoice.add(LineItem::new("cpu", 2, 50)).unwrap();
    invoice.discount_bp = 1_000;
    assert_eq!(invoice.gross_cents(), 10_000_000_100);
    assert_eq!(invoice.total(), Ok(Cents(9_000_000_090)));
    assert_eq!(invoice.add(LineItem::new("ram", 0, 5)), Err(BillingError::EmptyLine("ram".into())));
}

#[test]
fn ledger_limit() {
    let mut invoice = Invoice::new("Huge");
    invoice.add(LineItem::new("max", u32::MAX, u32::MAX)).unwrap();
    assert_eq!(invoice.total(), Err(BillingError::TooLarge));
}

#[test]
fn rendering() {
    assert_eq!(Cents(123_456_789).to_string(), "$1,234,567.89");
    assert_eq!(Cents(5).to_string(), "$0.05");
    let mut invoice = Invoice::new("Acme");
    invoice.add(LineItem::new("cpu", 3, 1_250)).unwrap();
    assert_eq!(invoice.render(), vec!["cpu                 3 x     $12.50 = $37.50"]);
}
