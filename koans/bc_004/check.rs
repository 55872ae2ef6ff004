#[test]
fn extracts_level() {
    assert_eq!(level_of("2024-05-01 12:00:00 [WARN] disk"), Some("WARN"));
    assert_eq!(level_of("no level here"), None);
    assert_eq!(level_of("[a] then [b]"), Some("a"));
}

#[test]
fn counts_levels_case_insensitively() {
    let log = "t [INFO] a\nt [error] b\nt [info] c\nplain line\nt [ERROR] d\nt [INFO] e";
    let h = level_histogram(log);
    assert_eq!(h.len(), 2);
    assert_eq!(h["INFO"], 3);
    assert_eq!(h["ERROR"], 2);
    assert!(level_histogram("").is_empty());
}
