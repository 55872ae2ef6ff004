#[test]
fn renders_header_and_rows() {
    let cols = vec![
        Column { name: "age".to_string(), values: vec![31, 17, 64] },
        Column { name: "debt".to_string(), values: vec![] },
    ];
    assert_eq!(to_csv(&cols), "column,count,min,max\nage,3,17,64\ndebt,0,-,-");
}

#[test]
fn header_alone_for_no_columns() {
    assert_eq!(to_csv(&[]), "column,count,min,max");
    let c = Column { name: "t".to_string(), values: vec![-5] };
    assert_eq!(stats_row(&c), vec!["t", "1", "-5", "-5"]);
}
