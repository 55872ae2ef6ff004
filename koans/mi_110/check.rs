#[test]
fn decodes_records() {
    assert_eq!(decode("c 10 -20 2"), Some(Event::Click { x: 10, y: -20, button: 2 }));
    assert_eq!(decode("k 65 1"), Some(Event::Key { code: 65, shift: true }));
    assert_eq!(decode("r 800 600"), Some(Event::Resize(800, 600)));
    assert_eq!(decode("c 1 2"), None);
    assert_eq!(decode("c 1 2 300"), None);
}

#[test]
fn queue_keeps_last_resize() {
    let q = queue(&["r 1 1", "c 0 0 1", "junk", "r 2 2", "k 9 0"]);
    let want = vec![Event::Click { x: 0, y: 0, button: 1 }, Event::Resize(2, 2), Event::Key { code: 9, shift: false }];
    assert_eq!(q.into_iter().collect::<Vec<_>>(), want);
}
