#[test]
fn undo_then_redo() {
    let mut h = History::default();
    h.record("type a");
    h.record("type b");
    assert_eq!(h.undo(), Ok("type b".to_string()));
    assert_eq!(h.undo(), Ok("type a".to_string()));
    assert_eq!(h.undo(), Err("nothing to undo".to_string()));
    assert_eq!(h.redo(), Ok("type a".to_string()));
    assert_eq!(h.undo(), Ok("type a".to_string()));
}

#[test]
fn recording_clears_redo() {
    let mut h = History::default();
    assert_eq!(h.redo(), Err("nothing to redo".to_string()));
    h.record("x");
    h.undo().unwrap();
    h.record("y");
    assert_eq!(h.redo(), Err("nothing to redo".to_string()));
}
