#[test]
fn totals_for_integers_and_floats() {
    assert_eq!(weekly_steps(&[1000, 2500, 0, 4000]), vec![1000, 3500, 3500, 7500]);
    assert_eq!(running_totals(&[0.5, 0.25, 1.0]), vec![0.5, 0.75, 1.75]);
    assert!(running_totals::<i64>(&[]).is_empty());
    assert_eq!(running_totals(&[-3i64, 5]), vec![-3, 2]);
}

#[test]
fn rainfall_target_day() {
    assert_eq!(day_reaching(&[2.0, 0.0, 5.5, 1.0], 7.5), Some(3));
    assert_eq!(day_reaching(&[2.0], 2.0), Some(1));
    assert_eq!(day_reaching(&[1.0, 1.0], 5.0), None);
}
