#[test]
fn announces_the_winner() {
    let rounds = vec![vec![("kim", 3), ("lee", 1)], vec![("lee", 4), ("max", 2)], vec![("kim", 1)]];
    assert_eq!(tournament(&rounds), "lee wins with 5 after 3 rounds");
}

#[test]
fn ties_and_empty_tournaments() {
    assert_eq!(tournament(&[]), "no games played");
    assert_eq!(tournament(&[vec![("zoe", 2), ("amy", 2)]]), "amy wins with 2 after 1 rounds");
    let mut board = Scoreboard::new();
    assert_eq!(board.leader(), None);
    board.record_round(&[("bo", 0)]);
    assert_eq!(board.leader(), Some(("bo", 0)));
}
