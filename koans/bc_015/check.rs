#[test]
fn letter_values() {
    assert_eq!(letter_value('a'), 1);
    assert_eq!(letter_value('g'), 2);
    assert_eq!(letter_value('k'), 5);
    assert_eq!(letter_value('z'), 10);
    assert_eq!(letter_value('!'), 0);
}

#[test]
fn picks_the_best_word() {
    assert_eq!(best_word("The quick brown fox jumps over the lazy dog."), ("quick".to_string(), 20));
    assert_eq!(best_word("Hello, WORLD!"), ("world".to_string(), 9));
    assert_eq!(best_word("tea eat"), ("tea".to_string(), 3));
    assert_eq!(best_word("  ... "), (String::new(), 0));
}
