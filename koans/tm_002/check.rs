#[test]
fn skips_forward_with_wrap() {
    let mut p = Playlist::new(&["intro", "verse", "chorus", "outro"]);
    assert_eq!(p.current(), Some("intro"));
    assert_eq!(p.skip(1), Some("verse"));
    assert_eq!(p.skip(2), Some("outro"));
    assert_eq!(p.skip(1), Some("intro"));
    assert_eq!(p.skip(9), Some("verse"));
}

#[test]
fn skips_backward_with_wrap() {
    let mut p = Playlist::new(&["a", "b", "c"]);
    assert_eq!(p.skip(-1), Some("c"));
    assert_eq!(p.remaining_after_current(), 0);
    assert_eq!(p.skip(-4), Some("b"));
    assert_eq!(p.remaining_after_current(), 1);
}

#[test]
fn empty_playlist() {
    let mut p = Playlist::new(&[]);
    assert_eq!(p.current(), None);
    assert_eq!(p.skip(3), None);
    assert_eq!(p.remaining_after_current(), 0);
}
