fn sample() -> Report {
    Report {
        title: "Q3 costs".to_string(),
        rows: vec![("rent".to_string(), 1200.0), ("travel".to_string(), 87.5)],
    }
}

#[test]
fn renders_table_with_total() {
    let r = sample();
    let text = render(&r);
    assert_eq!(
        text,
        "Q3 costs\n========\nrent      1200.00\ntravel      87.50\nTOTAL     1287.50\n"
    );
    assert_eq!(r.title, "Q3 costs");
    assert_eq!(render(&r), text);
}

#[test]
fn empty_report() {
    let r = Report { title: "None".to_string(), rows: vec![] };
    assert_eq!(render(&r), "None\n====\nTOTAL        0.00\n");
    assert_eq!(r.rows.len(), 0);
}
