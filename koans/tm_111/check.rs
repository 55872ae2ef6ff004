#[test]
fn falling() {
    assert_eq!(round2(fall_time(20.0)), 2.02);
    assert_eq!(round2(impact_speed(20.0)), 19.81);
    assert_eq!(fall_time(0.0), 0.0);
}

#[test]
fn throwing_up() {
    assert_eq!(round2(apex(9.81)), 4.91);
    assert_eq!(round2(apex(0.0)), 0.0);
}
