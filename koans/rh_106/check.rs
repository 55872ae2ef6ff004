#[test]
fn parses_whole_lines_or_fails() {
    assert_eq!(parse_scores("3, 10,7"), Ok(vec![3, 10, 7]));
    assert!(parse_scores("3,x,7").is_err());
    assert!(parse_scores("3,,7").is_err());
    assert_eq!(parse_scores("3,-1").unwrap_err(), "-1".parse::<u32>().unwrap_err());
}

#[test]
fn picks_best_parsable_line() {
    assert_eq!(best_line("1,2,3\n9,oops\n4,4\n2,4"), Some((3, 8)));
    assert_eq!(best_line("a\nb"), None);
}
