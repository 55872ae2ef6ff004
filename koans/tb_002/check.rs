#[test]
fn append_and_undo() {
    let mut ed = Editor::new("notes");
    ed.append("first");
    ed.append("second");
    assert_eq!(ed.render(), "# notes\nfirst\nsecond");
    assert!(ed.undo());
    assert_eq!(ed.render(), "# notes\nfirst");
    assert!(ed.undo());
    assert_eq!(ed.render(), "# notes\n");
    assert!(!ed.undo());
}

#[test]
fn rename_is_undoable() {
    let mut ed = Editor::new("draft");
    ed.append("hello");
    ed.rename("final");
    assert_eq!(ed.render(), "# final\nhello");
    assert!(ed.undo());
    assert_eq!(ed.render(), "# draft\nhello");
}
