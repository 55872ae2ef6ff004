#[test]
fn counts_case_insensitively() {
    let counts = word_counts("The cat and the hat. THE end!");
    assert_eq!(counts[0], ("the".to_string(), 3));
    assert_eq!(counts[1], ("and".to_string(), 1));
    assert_eq!(counts.len(), 5);
}

#[test]
fn top_and_distinct() {
    let text = "b a c b a b, c-c? d";
    assert_eq!(top_words(text, 2), vec!["b", "c"]);
    assert_eq!(top_words(text, 10), vec!["b", "c", "a", "d"]);
    assert_eq!(distinct_words(text), 4);
    assert_eq!(distinct_words("  ...  "), 0);
}
