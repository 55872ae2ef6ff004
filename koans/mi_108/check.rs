#[test]
fn parses_hands() {
    let hand = parse_hand("10H JS 2C AD").unwrap();
    assert_eq!(
        hand,
        vec![
            ("10".to_string(), Suit::Hearts),
            ("J".to_string(), Suit::Spades),
            ("2".to_string(), Suit::Clubs),
            ("A".to_string(), Suit::Diamonds),
        ]
    );
    assert_eq!(parse_hand("3X"), Err("unknown suit X".to_string()));
}

#[test]
fn detects_flushes() {
    assert!(is_flush("2D 5D 9D JD KD"));
    assert!(!is_flush("2D 5D 9D JD KS"));
    assert!(!is_flush("2D 5D 9D JD"));
    assert!(!is_flush("2D 5D 9D JD KQ"));
}
