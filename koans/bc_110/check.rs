#[test]
fn adds_a_multiple_of_one_row_to_another() {
    let mut m = Matrix::from_rows(vec![vec![1.0, 2.0], vec![3.0, 4.0], vec![0.5, 0.0]]);
    m.add_scaled(0, 1, -3.0);
    assert_eq!(m.row(1), &[0.0, -2.0]);
    m.add_scaled(2, 0, 2.0);
    assert_eq!(m.row(0), &[2.0, 2.0]);
    assert_eq!(m.row(2), &[0.5, 0.0]);
}

#[test]
fn eliminates_below_pivot() {
    let mut m = Matrix::from_rows(vec![vec![2.0, 1.0, 1.0], vec![4.0, 3.0, 3.0], vec![-2.0, 5.0, 0.0]]);
    m.eliminate_below(0);
    assert_eq!(m.row(0), &[2.0, 1.0, 1.0]);
    assert_eq!(m.row(1), &[0.0, 1.0, 1.0]);
    assert_eq!(m.row(2), &[0.0, 6.0, 1.0]);
}
