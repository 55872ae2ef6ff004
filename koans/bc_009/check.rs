#[test]
fn empty_text_gives_defaults() {
    assert_eq!(parse_config(""), ServerConfig { host: "127.0.0.1".to_string(), port: 8080, workers: 4 });
}

#[test]
fn values_override_defaults() {
    let text = "# prod\nhost = 0.0.0.0\nport=9000\n  workers =  16 \ncolour = blue\n";
    let c = parse_config(text);
    assert_eq!(c.host, "0.0.0.0");
    assert_eq!(c.port, 9000);
    assert_eq!(c.workers, 16);
}

#[test]
fn bad_values_and_comments_are_ignored() {
    let c = parse_config("port = seventy\n# workers = 2\nworkers = 3\nnonsense line");
    assert_eq!(c.port, 8080);
    assert_eq!(c.workers, 3);
    assert_eq!(c.host, "127.0.0.1");
}
