#[test]
fn parses_clock_times() {
    assert_eq!(parse_clock("09:30"), Some(570));
    assert_eq!(parse_clock(" 00:00 "), Some(0));
    assert_eq!(parse_clock("23:59"), Some(1439));
    assert_eq!(parse_clock("24:00"), None);
    assert_eq!(parse_clock("9h30"), None);
    assert_eq!(parse_clock("ab:10"), None);
}

#[test]
fn parses_shifts() {
    assert_eq!(parse_shift("09:00-17:30"), Some(Shift { start: 540, end: 1050 }));
    assert_eq!(parse_shift("09:00 - 12:15").map(|s| s.minutes()), Some(195));
    assert_eq!(parse_shift("17:00-09:00"), None);
    assert_eq!(parse_shift("09:00"), None);
}

#[test]
fn totals_a_timesheet() {
    let sheet = ["08:00-12:00", "13:00-17:30", "lunch", "18:00-18:x0"];
    assert_eq!(timesheet_total(&sheet), 510);
    assert_eq!(timesheet_total(&[]), 0);
}
