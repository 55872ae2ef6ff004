#[test]
fn counts_ballots() {
    let t = Tally::count("y, N, a,y ,x,, Y");
    assert_eq!(t, Tally { yes: 3, no: 1, abstain: 1, spoiled: 2 });
}

#[test]
fn decides_motions() {
    assert!(Tally::count("y,y,n,a").passes(4));
    assert!(!Tally::count("y,y,n,a").passes(5));
    assert!(!Tally::count("y,n,a,a").passes(2));
    assert!(!Tally::count("x,x,x,y").passes(2));
}
