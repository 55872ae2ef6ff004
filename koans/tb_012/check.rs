#[test]
fn timeline_is_chronological() {
    let mut j = Journal::default();
    assert!(j.write("2024-03-05", "spring"));
    assert!(j.write("2023-12-31", "new year's eve"));
    assert!(j.write("2024-01-15", "snow"));
    assert!(j.write("2024-03-05", "rain later"));
    assert!(j.write("2024-02-29", "leap"));
    assert_eq!(
        j.timeline(),
        vec![
            "2023-12-31: new year's eve",
            "2024-01-15: snow",
            "2024-02-29: leap",
            "2024-03-05: spring",
            "2024-03-05: rain later",
        ]
    );
}

#[test]
fn rejects_bad_dates() {
    let mut j = Journal::default();
    assert!(!j.write("2024-13-01", "x"));
    assert!(!j.write("2024-1", "x"));
    assert!(!j.write("yesterday", "x"));
    assert!(!j.write("2024-01-01-01", "x"));
    assert!(j.timeline().is_empty());
    assert_eq!(Date::parse("2020-07-04"), Some(Date { year: 2020, month: 7, day: 4 }));
}
