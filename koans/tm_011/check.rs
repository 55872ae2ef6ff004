#[test]
fn joins_with_one_slash() {
    assert_eq!(endpoint("https://api.example.com/", "/v1/users"), "https://api.example.com/v1/users");
    assert_eq!(endpoint("http://h", "ping"), "http://h/ping");
    assert_eq!(endpoint("http://h//", "//a/b"), "http://h/a/b");
}

#[test]
fn builds_search_url() {
    assert_eq!(search_url("http://s.io/", "rust koans", 2), "http://s.io/search?q=rust%20koans&page=2");
    assert_eq!(with_query("http://x", &[]), "http://x");
    assert_eq!(with_query("http://x", &[("a", "1"), ("b", "2 3")]), "http://x?a=1&b=2%203");
}
