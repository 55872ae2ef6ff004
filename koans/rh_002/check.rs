#[test]
fn counts_words_case_insensitively() {
    let mut wc = WordCounter::new(&["the", "a"]);
    wc.add_text("The cat saw a Cat, and the cat ran.");
    assert_eq!(wc.count("cat"), 3);
    assert_eq!(wc.count("CAT"), 3);
    assert_eq!(wc.count("ran"), 1);
    assert_eq!(wc.count("the"), 0);
    assert_eq!(wc.count("dog"), 0);
}

#[test]
fn accumulates_across_texts() {
    let mut wc = WordCounter::new(&[]);
    wc.add_text("red green");
    wc.add_text("green blue green");
    wc.add_text("!!! red");
    assert_eq!(wc.count("green"), 3);
    assert_eq!(wc.count("red"), 2);
    assert_eq!(wc.most_common(), Some(("green", 3)));
}

#[test]
fn ties_pick_alphabetical_first() {
    let mut wc = WordCounter::new(&["x"]);
    assert_eq!(wc.most_common(), None);
    wc.add_text("pear apple x x x pear apple");
    assert_eq!(wc.most_common(), Some(("apple", 2)));
}
