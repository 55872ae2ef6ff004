#[test]
fn totals_per_kind() {
    let log = parse_log("run 30\nswim 45\nrun 55\nyoga sixty\nrun 20\n");
    assert_eq!(log.len(), 4);
    assert_eq!(total_for(&log, "run"), Minutes(105));
    assert_eq!(total_for(&log, "swim"), Minutes(45));
    assert_eq!(total_for(&log, "bike"), Minutes(0));
}

#[test]
fn formats_hours() {
    assert_eq!(as_hours(Minutes(105)), "1h45m");
    assert_eq!(as_hours(Minutes(5)), "0h05m");
    let log = parse_log("row 90\nrow 90");
    assert_eq!(as_hours(total_for(&log, "row")), "3h00m");
}
