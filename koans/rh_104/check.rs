#[test]
fn applies_commands() {
    let mut s = 10;
    assert!(apply(&mut s, "add 5"));
    assert!(apply(&mut s, "take 15"));
    assert_eq!(s, 0);
    assert!(!apply(&mut s, "take 1"));
    assert!(apply(&mut s, " count 42 "));
    assert_eq!(s, 42);
}

#[test]
fn rejects_bad_commands() {
    let (stock, rejected) = replay(3, &["add x", "sell 2", "add -1", "take 2", "add", "add 4"]);
    assert_eq!(stock, 5);
    assert_eq!(rejected, vec!["add x", "sell 2", "add -1", "add"]);
}
