#[test]
fn loads_valid_config() {
    assert_eq!(load("workers = 4\nport=8080\n"), Ok((4, 8080)));
    assert_eq!(load("# c\nport = 1\nworkers = 255"), Ok((255, 1)));
}

#[test]
fn reports_errors() {
    assert_eq!(load("workers = 4"), Err(ConfigError::MissingKey("port".to_string())));
    assert_eq!(load("port = 80"), Err(ConfigError::MissingKey("workers".to_string())));
    let bad = "http".parse::<u16>().unwrap_err();
    assert_eq!(load("workers = 4\nport = http"), Err(ConfigError::BadNumber(bad)));
    assert!(matches!(load("workers = 300\nport = 1"), Err(ConfigError::BadNumber(_))));
}
