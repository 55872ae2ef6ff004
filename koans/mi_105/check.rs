#[test]
fn gives_hints_until_correct() {
    assert_eq!(hints(42, &[50, 20, 42, 7]), vec!["lower", "higher", "correct"]);
    assert_eq!(hints(1, &[]), Vec::<&str>::new());
}

#[test]
fn binary_search_guesses() {
    assert_eq!(bisect(42, 100), vec![50, 25, 37, 43, 40, 41, 42]);
    assert_eq!(bisect(1, 1), vec![1]);
}
