fn member(handle: &str, nick: Option<&str>, karma: i32) -> Member {
    Member { handle: handle.to_string(), nickname: nick.map(String::from), karma }
}

#[test]
fn prefers_nickname() {
    assert_eq!(welcome("u123", Some("Zed".to_string()), 5), "Welcome back, Zed");
    assert_eq!(welcome("u123", None, 150), "Welcome back, u123 *");
    assert_eq!(welcome("u9", Some("Ivy".to_string()), -4), "Welcome back, Ivy");
    assert_eq!(welcome("u9", None, -4), "Welcome back, u9 (pick a nickname to start fresh)");
}

#[test]
fn welcomes_a_roster() {
    let lines = welcome_all(vec![member("a1", Some("Ann"), 100), member("b2", None, 0)]);
    assert_eq!(lines, vec!["Welcome back, Ann *", "Welcome back, b2"]);
}
