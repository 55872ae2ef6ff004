#[test]
fn parses_header_and_rows() {
    let t = parse_csv("Name, Age ,City\nana, 31, Lisbon\n\nbo,27,Oslo\n").unwrap();
    assert_eq!(t.columns, vec!["name", "age", "city"]);
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.rows[1], vec!["bo", "27", "Oslo"]);
    assert_eq!(t.column("city"), Some(vec!["Lisbon", "Oslo"]));
    assert_eq!(t.column("age"), Some(vec!["31", "27"]));
    assert_eq!(t.column("Age"), None);
}

#[test]
fn rejects_bad_input() {
    assert!(parse_csv("").is_none());
    assert!(parse_csv("a,b\n1,2,3").is_none());
    let only_header = parse_csv("X,Y").unwrap();
    assert_eq!(only_header.columns, vec!["x", "y"]);
    assert_eq!(only_header.column("y"), Some(vec![]));
}
