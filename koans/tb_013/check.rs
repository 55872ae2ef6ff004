#[test]
fn clamps_integers() {
    let mut v = vec![5, -3, 12, 7, 100];
    assert_eq!(clamp_all(&mut v, 0, 10), 3);
    assert_eq!(v, vec![5, 0, 10, 7, 10]);
    let mut none: Vec<i32> = vec![1, 2];
    assert_eq!(clamp_all(&mut none, 0, 10), 0);
    assert_eq!(none, vec![1, 2]);
}

#[test]
fn sanitizes_sensor_log() {
    let mut log = SensorLog {
        temperatures: vec![21.5, 300.0, -80.0, 85.0],
        humidity: vec![40, 250, 100],
    };
    assert_eq!(log.sanitize(), 3);
    assert_eq!(log.temperatures, vec![21.5, 85.0, -40.0, 85.0]);
    assert_eq!(log.humidity, vec![40, 100, 100]);
}
