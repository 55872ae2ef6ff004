#[test]
fn orders_numerically_not_lexically() {
    let tags = ["v1.10.0", "1.2.3", "0.9.9", "bogus", "1.2.10", "v1.2.3", "2.0"];
    assert_eq!(release_order(&tags), vec!["0.9.9", "1.2.3", "1.2.10", "1.10.0"]);
}

#[test]
fn latest_version() {
    assert_eq!(latest(&["1.9.9", "1.10.0", "1.2.99"]), Some("1.10.0".to_string()));
    assert_eq!(latest(&["0.1.0", "v0.1.1"]), Some("0.1.1".to_string()));
    assert_eq!(latest(&["x", "1.2"]), None);
}
