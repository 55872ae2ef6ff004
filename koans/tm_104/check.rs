fn r(stars: u8, verified: bool) -> Review {
    Review { author: format!("a{}", stars), stars, verified }
}

#[test]
fn averages_keep_fractions() {
    assert_eq!(average(&[r(4, true), r(5, false)]), Some(4.5));
    assert_eq!(average(&[r(1, true), r(2, true), r(2, true)]), Some(5.0 / 3.0));
    assert_eq!(average(&[]), None);
}

#[test]
fn badge_counts_verified_only() {
    assert_eq!(badge(&[r(5, true), r(1, false), r(4, true), r(4, true)]), "4.3 from 3 verified");
    assert_eq!(badge(&[r(3, false)]), "no verified reviews");
}
