#[test]
fn converts_both_ways() {
    assert_eq!(convert("100C"), Some("212.0F".to_string()));
    assert_eq!(convert(" 70F"), Some("21.1C".to_string()));
    assert_eq!(convert("-40c"), Some("-40.0F".to_string()));
}

#[test]
fn skips_bad_readings() {
    assert_eq!(convert(""), None);
    assert_eq!(convert("12K"), None);
    assert_eq!(convert("hotC"), None);
    assert_eq!(convert_all(&["0C", "x", "32F"]), vec!["32.0F", "0.0C"]);
}
