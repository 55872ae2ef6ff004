#[test]
fn adds_up_legs_in_metres() {
    assert_eq!(route_length(&[1.5, 2.0], 250.0, 500.0), 3755.0);
    assert_eq!(route_length(&[], 0.0, 0.0), 0.0);
}

#[test]
fn walking_time() {
    assert_eq!(walking_minutes(5000.0, 5.0), 60);
    assert_eq!(walking_minutes(3755.0, 4.0), 57);
}
