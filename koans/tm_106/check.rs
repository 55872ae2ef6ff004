#[test]
fn parses_times() {
    assert_eq!(parse_clock("09:30"), Ok(570));
    assert_eq!(parse_clock(" 23:59 "), Ok(1439));
    assert_eq!(span("22:00", "01:15"), Ok(195));
    assert_eq!(span("08:00", "08:45"), Ok(45));
}

#[test]
fn reports_parse_errors() {
    assert_eq!(parse_clock("x9:30"), Err("invalid digit found in string".to_string()));
    assert_eq!(parse_clock(":30"), Err("cannot parse integer from empty string".to_string()));
    assert_eq!(parse_clock("9:3a"), Err("invalid digit found in string".to_string()));
    assert_eq!(parse_clock("0930"), Err("no colon in \"0930\"".to_string()));
    assert_eq!(span("24:00", "01:00"), Err("24:00 is not a time of day".to_string()));
}
