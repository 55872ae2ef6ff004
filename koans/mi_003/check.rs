const LOG: &str = "[INFO] http: started on :8080
[WARN] net:   connection reset by peer
garbage line
[ERROR] db: pool exhausted
[ERROR] net: timeout
[ERROR] db: deadlock detected
[INFO] http:";

#[test]
fn parses_single_lines() {
    assert_eq!(
        parse_line("  [WARN] net:   connection   reset "),
        Some(LogEntry { level: "WARN".to_string(), module: "net".to_string(), message: "connection reset".to_string() })
    );
    assert_eq!(parse_line("[INFO] http:"), None);
    assert_eq!(parse_line("INFO http: x"), None);
}

#[test]
fn aggregates_log() {
    assert_eq!(count_level(LOG, "ERROR"), 3);
    assert_eq!(count_level(LOG, "INFO"), 1);
    assert_eq!(count_level(LOG, "DEBUG"), 0);
    assert_eq!(modules_with_errors(LOG), vec!["db", "net"]);
}
