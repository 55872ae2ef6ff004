const CSV: &str = "city,temp,rain\nOslo,4.5,12\nLima,19,0\nPune,31.5,n/a\nRiga,-2,3";

#[test]
fn summarises_numeric_columns() {
    assert_eq!(summarise(CSV, 1), Some((4, 13.25, 31.5)));
    assert_eq!(summarise(CSV, 2), Some((3, 5.0, 12.0)));
}

#[test]
fn empty_columns_have_no_summary() {
    assert_eq!(summarise(CSV, 0), None);
    assert_eq!(summarise(CSV, 7), None);
    assert_eq!(column("h\n-1\n2", 0), vec![-1.0, 2.0]);
}
