#[test]
fn parses_edges() {
    assert_eq!(parse_edges("1>2  10>3"), Ok(vec![(1, 2), (10, 3)]));
    assert_eq!(parse_edges(""), Ok(vec![]));
    assert_eq!(parse_edges("1>2 3-4"), Err("bad edge \"3-4\"".to_string()));
    assert_eq!(parse_edges("1>x"), Err("1>x: invalid digit found in string".to_string()));
}

#[test]
fn degrees_and_sinks() {
    let edges = parse_edges("1>2 2>3 1>3 3>4 5>4").unwrap();
    assert_eq!(out_degree(&edges, 1), 2);
    assert_eq!(out_degree(&edges, 4), 0);
    assert_eq!(sinks(&edges), vec![4]);
    assert!(main().is_ok());
}
