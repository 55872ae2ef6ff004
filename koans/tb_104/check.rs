#[test]
fn fills_and_updates() {
    let mut g = Grid::filled(3, 2, '.');
    assert_eq!(g.count(|&c| c == '.'), 6);
    assert!(g.set(2, 1, '#'));
    assert!(!g.set(3, 0, '#'));
    assert_eq!(g.get(2, 1), Some(&'#'));
    assert_eq!(g.get(0, 0), Some(&'.'));
    assert_eq!(g.get(3, 0), None);
    assert_eq!(g.get(0, 2), None);
}

#[test]
fn works_with_owned_cells() {
    let mut g = Grid::filled(2, 2, String::from("sea"));
    g.set(0, 1, String::from("ship"));
    assert_eq!(g.count(|c| c == "sea"), 3);
    assert_eq!(g.get(0, 1).map(|s| s.as_str()), Some("ship"));
}
