fn sensors() -> Vec<Box<dyn Sensor>> {
    vec![
        Box::new(Thermometer { room: "kitchen".into(), celsius: 21.46 }),
        Box::new(Hygrometer { room: "bath".into(), percent: 78.0 }),
        Box::new(Thermometer { room: "attic".into(), celsius: 34.0 }),
    ]
}

#[test]
fn dashboard_lines() {
    assert_eq!(
        dashboard(&sensors()),
        vec!["kitchen temperature: 21.5 C", "bath humidity: 78.0 %", "attic temperature: 34.0 C"]
    );
    assert!(dashboard(&[]).is_empty());
}

#[test]
fn limits() {
    assert_eq!(over_limit(&sensors(), 30.0), vec!["bath humidity", "attic temperature"]);
    assert_eq!(over_limit(&sensors(), 50.0), vec!["bath humidity"]);
    assert!(over_limit(&sensors(), 100.0).is_empty());
}
