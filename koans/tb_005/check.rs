#[test]
fn parses_all_keys() {
    let text = "# client\nbase_url = https://api.example.com\ntimeout_secs = 30\nverbose = true\nmax_attempts = 5\nbackoff_ms = 250\n";
    let c = parse_config(text).unwrap();
    assert_eq!(c.base_url, "https://api.example.com");
    assert_eq!(c.timeout_secs, 30);
    assert!(c.verbose);
    assert_eq!(c.retry.max_attempts, 5);
    assert_eq!(c.retry.backoff_ms, 250);
}

#[test]
fn unset_keys_keep_defaults() {
    let c = parse_config("max_attempts = 2").unwrap();
    assert_eq!(c.base_url, "");
    assert_eq!(c.timeout_secs, 0);
    assert!(!c.verbose);
    assert_eq!(c.retry.max_attempts, 2);
}

#[test]
fn reports_errors() {
    assert_eq!(parse_config("color = red").unwrap_err(), "unknown key: color");
    assert_eq!(parse_config("timeout_secs = soon").unwrap_err(), "bad value for timeout_secs: soon");
    assert_eq!(parse_config("verbose").unwrap_err(), "missing '=' in: verbose");
}
