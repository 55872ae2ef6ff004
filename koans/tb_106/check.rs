#[test]
fn medians() {
    assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
    assert_eq!(median(&[4.0, -1.0, 10.0, 2.0]), Some(3.0));
    assert_eq!(median(&[]), None);
}

#[test]
fn deviation_and_outliers() {
    let data = [10.0, 12.0, 11.0, 13.0, 50.0, 9.0];
    assert_eq!(median(&data), Some(11.5));
    assert_eq!(mad(&data), Some(1.5));
    assert_eq!(outliers(&data, 3.0), vec![50.0]);
    assert!(outliers(&[], 1.0).is_empty());
}
