#[test]
fn full_config() {
    let cfg = parse_config("# server\nhost = 0.0.0.0\nport = 9000\nworkers = 16\n");
    assert_eq!(cfg, ServerConfig { host: "0.0.0.0".to_string(), port: 9000, workers: 16 });
}

#[test]
fn defaults_when_missing() {
    let cfg = parse_config("");
    assert_eq!(cfg.host, "127.0.0.1");
    assert_eq!(cfg.port, 8080);
    assert_eq!(cfg.workers, 4);
}

#[test]
fn invalid_port_falls_back() {
    let cfg = parse_config("port = 99999\nworkers=2\nhost=example.com");
    assert_eq!(cfg.port, 8080);
    assert_eq!(cfg.workers, 2);
    assert_eq!(cfg.host, "example.com");
    assert_eq!(parse_config("port=abc").port, 8080);
    assert_eq!(parse_config("  port =  443 ").port, 443);
}
