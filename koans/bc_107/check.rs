#[test]
fn splits_and_trims_first_part() {
    let mut buf = Buffer::from_text("let x =   value;\nend");
    buf.split_line(0, 10);
    assert_eq!(buf.text(), "let x =\nvalue;\nend");
    buf.split_line(2, 0);
    assert_eq!(buf.text(), "let x =\nvalue;\n\nend");
}

#[test]
fn join_undoes_a_split() {
    let mut buf = Buffer::from_text("alpha beta\ngamma");
    buf.split_line(0, 6);
    assert_eq!(buf.text(), "alpha\nbeta\ngamma");
    buf.join_next(0);
    assert_eq!(buf.text(), "alpha beta\ngamma");
    buf.join_next(1);
    assert_eq!(buf.text(), "alpha beta\ngamma");
}
