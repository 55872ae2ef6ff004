#[test]
fn frames_round_trip() {
    let f = frame(b"hi").unwrap();
    assert_eq!(f, vec![2, b'h', b'i']);
    let mut two = f.clone();
    two.extend(frame(&[7; 255]).unwrap());
    let (first, rest) = unframe(&two).unwrap();
    assert_eq!(first, b"hi");
    assert_eq!(unframe(rest).unwrap().0.len(), 255);
}

#[test]
fn framing_errors() {
    assert_eq!(frame(&[]), Err(FrameError::Empty));
    assert_eq!(frame(&[0; 256]), Err(FrameError::TooLong(256)));
    assert_eq!(frame(&[1; 1000]), Err(FrameError::TooLong(1000)));
    assert_eq!(unframe(&[]), Err(FrameError::Empty));
    assert_eq!(unframe(&[3, 1]), Err(FrameError::Truncated { want: 3, got: 1 }));
}
