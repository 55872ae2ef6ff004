use Cell::{Alive as A, Dead as D};

#[test]
fn reads_columns() {
    let life = Life::parse(&["#..", ".#.", "..#"]);
    assert_eq!(life.column(0), vec![A, D, D]);
    assert_eq!(life.column(2), vec![D, D, A]);
}

#[test]
fn blinker_oscillates() {
    let mut life = Life::parse(&[".....", "..#..", "..#..", "..#..", "....."]);
    life.step();
    assert_eq!(life.column(2), vec![D, D, A, D, D]);
    assert_eq!(life.column(1), vec![D, D, A, D, D]);
    life.step();
    assert_eq!(life.column(2), vec![D, A, A, A, D]);
    assert_eq!(life.column(1), vec![D; 5]);
}

#[test]
fn block_is_still() {
    let mut life = Life::parse(&["##.", "##.", "..."]);
    life.step();
    assert_eq!(life.column(0), vec![A, A, D]);
    assert_eq!(life.column(2), vec![D, D, D]);
}
