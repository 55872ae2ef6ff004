fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn parses_all_arguments() {
    assert_eq!(parse_temps(&strings(&["21.5", " -4 ", "0"])), Ok(vec![21.5, -4.0, 0.0]));
    assert_eq!(parse_temps(&[]), Ok(vec![]));
    assert!(parse_temps(&strings(&["12", "warm"])).is_err());
}

#[test]
fn converts_to_fahrenheit() {
    assert_eq!(to_fahrenheit(100.0), 212.0);
    assert_eq!(to_fahrenheit(-40.0), -40.0);
    assert_eq!(to_fahrenheit(0.0), 32.0);
}

#[test]
fn summarises_readings() {
    assert_eq!(summary(&[]), "no readings");
    assert_eq!(summary(&[10.0, 20.0, 33.0]), "min 10.0 / max 33.0 / mean 21.0");
}
