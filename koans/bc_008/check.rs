fn p(name: &str, score: u32) -> Player {
    Player { name: name.to_string(), score }
}

#[test]
fn takes_highest_and_keeps_order_of_rest() {
    let mut ps = vec![p("ana", 40), p("bo", 95), p("cy", 95), p("dee", 10)];
    assert_eq!(take_highest(&mut ps), Some(p("bo", 95)));
    assert_eq!(ps, vec![p("ana", 40), p("cy", 95), p("dee", 10)]);
    assert_eq!(take_highest(&mut ps), Some(p("cy", 95)));
    assert_eq!(take_highest(&mut Vec::new()), None);
}

#[test]
fn podium_takes_at_most_three() {
    let mut ps = vec![p("ana", 40), p("bo", 95), p("cy", 70), p("dee", 10), p("eve", 80)];
    assert_eq!(podium(&mut ps), vec!["bo", "eve", "cy"]);
    assert_eq!(ps, vec![p("ana", 40), p("dee", 10)]);
    let mut two = vec![p("x", 1), p("y", 2)];
    assert_eq!(podium(&mut two), vec!["y", "x"]);
    assert!(two.is_empty());
}
