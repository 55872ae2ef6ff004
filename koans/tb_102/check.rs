#[test]
fn renders_rows_of_any_displayable() {
    assert_eq!(render_row(&[1, 22, 333], 4), "   1|  22| 333");
    assert_eq!(render_row(&['x'], 2), " x");
    assert_eq!(render_row::<u8>(&[], 3), "");
}

#[test]
fn renders_a_table() {
    let t = render_table(&["item", "price"], &[vec![1.5, 20.0]]);
    assert_eq!(t, "  item| price\n------+------\n  1.50| 20.00");
}
