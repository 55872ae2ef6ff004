fn tree() -> Tree {
    let n = |name: &str, parent: Option<usize>| Node { name: name.to_string(), parent };
    Tree::new(vec![n("home", None), n("ann", Some(0)), n("docs", Some(1)), n("etc", None)])
}

#[test]
fn parents() {
    let t = tree();
    assert_eq!(t.parent_of(2), Some(1));
    assert_eq!(t.parent_of(0), None);
    assert_eq!(t.parent_of(9), None);
}

#[test]
fn paths_from_the_root() {
    let t = tree();
    assert_eq!(t.path(2), Some("home/ann/docs".to_string()));
    assert_eq!(t.path(3), Some("etc".to_string()));
    assert_eq!(t.path(4), None);
}
