#[test]
fn respects_capacity() {
    let mut s = BoundedStack::with_capacity(2);
    assert_eq!(s.push("a"), Ok(()));
    assert!(!s.is_full());
    assert_eq!(s.push("b"), Ok(()));
    assert!(s.is_full());
    assert_eq!(s.push("c"), Err("c"));
    assert_eq!(s.len(), 2);
}

#[test]
fn lifo_order() {
    let mut s = BoundedStack::with_capacity(3);
    s.push(1).unwrap();
    s.push(2).unwrap();
    assert_eq!(s.peek(), Some(&2));
    assert_eq!(s.pop(), Some(2));
    assert_eq!(s.pop(), Some(1));
    assert_eq!(s.pop(), None);
    assert_eq!(s.peek(), None);
    assert_eq!(s.len(), 0);
}
