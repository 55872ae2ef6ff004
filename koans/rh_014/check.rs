#[test]
fn parses_points() {
    let p = parse_polygon("0,0, 4,0, 4,3").unwrap();
    assert_eq!(p.points, vec![(0.0, 0.0), (4.0, 0.0), (4.0, 3.0)]);
    assert_eq!(p.perimeter(), 12.0);
    assert_eq!(p.area(), 6.0);
}

#[test]
fn odd_trailing_value_is_dropped() {
    let p = parse_polygon("0,0,2,0,2,2,0,2,9").unwrap();
    assert_eq!(p.points.len(), 4);
    assert_eq!(p.area(), 4.0);
    assert_eq!(p.perimeter(), 8.0);
}

#[test]
fn bad_number_is_an_error() {
    assert!(parse_polygon("0,0, 1,x, 2,2").is_err());
    assert!(parse_polygon("1,2,,3").is_err());
    assert_eq!(parse_polygon("-1.5, 2.5").unwrap().points, vec![(-1.5, 2.5)]);
}
