#[test]
fn reads_host_and_default_port() {
    env::set_var("RH003_KOAN_A_HOST", "db.internal");
    let cfg = load_config("RH003_KOAN_A").unwrap();
    assert_eq!(cfg, ServerConfig { host: "db.internal".to_string(), port: 8080 });
}

#[test]
fn reads_explicit_port_and_rejects_bad_one() {
    env::set_var("RH003_KOAN_B_HOST", "cache");
    env::set_var("RH003_KOAN_B_PORT", "6379");
    assert_eq!(load_config("RH003_KOAN_B").unwrap().port, 6379);
    env::set_var("RH003_KOAN_C_HOST", "cache");
    env::set_var("RH003_KOAN_C_PORT", "99999");
    assert_eq!(
        load_config("RH003_KOAN_C"),
        Err(ConfigError::BadPort("99999".to_string()))
    );
}

#[test]
fn missing_host_names_the_variable() {
    env::remove_var("RH003_KOAN_D_HOST");
    let err = load_config("RH003_KOAN_D").unwrap_err();
    assert_eq!(err, ConfigError::Missing("RH003_KOAN_D_HOST".to_string()));
    assert_eq!(err.to_string(), "environment variable RH003_KOAN_D_HOST is not set");
}
