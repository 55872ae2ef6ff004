#[test]
fn swaps_gems_and_counts_moves() {
    let mut b = Board::parse(&["1.#", "2.3"]);
    assert!(b.swap((0, 0), (1, 0)));
    assert_eq!(b.at(0, 0), Tile::Empty);
    assert_eq!(b.at(1, 0), Tile::Gem(1));
    assert!(b.swap((0, 1), (0, 0)));
    assert_eq!(b.at(0, 0), Tile::Gem(2));
    assert_eq!(b.at(0, 1), Tile::Empty);
    assert_eq!(b.moves(), 2);
}

#[test]
fn walls_do_not_move() {
    let mut b = Board::parse(&["1.#", "2.3"]);
    assert!(!b.swap((2, 0), (2, 1)));
    assert_eq!(b.at(2, 0), Tile::Wall);
    assert_eq!(b.at(2, 1), Tile::Gem(3));
    assert_eq!(b.moves(), 0);
}
