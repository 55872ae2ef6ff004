#[test]
fn loads_and_rejects() {
    let mut log = SensorLog::new("lab");
    assert_eq!(load(&mut log, "21.5, 22.0, oops, 23.25"), 1);
    assert_eq!(log.readings, vec![21.5f32, 22.0, 23.25]);
    assert_eq!(log.peak(), Some(23.25));
}

#[test]
fn mean_and_empty() {
    let mut log = SensorLog::new("attic");
    assert_eq!(log.mean(), None);
    assert_eq!(load(&mut log, "x,y"), 2);
    assert_eq!(log.peak(), None);
    assert_eq!(load(&mut log, "10,20, 30"), 0);
    assert_eq!(log.mean(), Some(20.0));
}
