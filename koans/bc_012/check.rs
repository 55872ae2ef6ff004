#[test]
fn sessions_expire_at_their_deadline() {
    let mut s = Sessions::new();
    login(&mut s, "zoe", 100, 50);
    login(&mut s, "adam", 100, 10);
    login(&mut s, "mia", 120, 100);
    assert_eq!(expire(&mut s, 109), Vec::<String>::new());
    assert_eq!(s.len(), 3);
    assert_eq!(expire(&mut s, 110), vec!["adam"]);
    assert!(!s.contains_key("adam"));
    assert_eq!(s["zoe"], 150);
    assert_eq!(expire(&mut s, 500), vec!["mia", "zoe"]);
    assert!(s.is_empty());
}

#[test]
fn login_extends_but_never_shortens() {
    let mut s = Sessions::new();
    login(&mut s, "kim", 0, 100);
    login(&mut s, "kim", 50, 10);
    assert_eq!(s["kim"], 100);
    login(&mut s, "kim", 90, 60);
    assert_eq!(s["kim"], 150);
    assert_eq!(expire(&mut s, 149), Vec::<String>::new());
    assert_eq!(expire(&mut s, 150), vec!["kim"]);
}
