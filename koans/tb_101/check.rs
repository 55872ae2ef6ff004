#[test]
fn removes_dealt_cards() {
    let d = deck();
    assert_eq!(d.len(), 52);
    let dealt = [Card { rank: 14, suit: 'S' }, Card { rank: 2, suit: 'C' }];
    let rest = undealt(&d, &dealt);
    assert_eq!(rest.len(), 50);
    assert_eq!(rest[0], Card { rank: 3, suit: 'C' });
    assert!(rest.contains(&Card { rank: 14, suit: 'H' }));
    assert!(!rest.contains(&Card { rank: 14, suit: 'S' }));
}

#[test]
fn counts_flush_outs() {
    let hand = [Card { rank: 9, suit: 'H' }, Card { rank: 4, suit: 'H' }];
    assert_eq!(flush_outs(&hand), 11);
    assert_eq!(flush_outs(&[Card { rank: 9, suit: 'H' }, Card { rank: 4, suit: 'D' }]), 0);
    assert_eq!(flush_outs(&[]), 0);
}
