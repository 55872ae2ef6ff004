#[test]
fn parses_both_units() {
    assert_eq!(parse_reading("21.5C"), Ok(Reading { value: 21.5, unit: Unit::Celsius }));
    assert_eq!(parse_reading(" 212f "), Ok(Reading { value: 212.0, unit: Unit::Fahrenheit }));
    assert_eq!(parse_reading("212F").unwrap().celsius(), 100.0);
    assert_eq!(parse_reading("-3 C").unwrap().celsius(), -3.0);
}

#[test]
fn reports_problems() {
    assert_eq!(parse_reading("21.5"), Err("missing unit in \"21.5\"".to_string()));
    assert_eq!(parse_reading(""), Err("missing unit in \"\"".to_string()));
    assert_eq!(parse_reading("hotC"), Err("bad number \"hot\"".to_string()));
}
