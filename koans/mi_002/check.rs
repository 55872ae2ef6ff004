#[test]
fn translates_words() {
    assert_eq!(pig_latin_word("apple"), "appleway");
    assert_eq!(pig_latin_word("string"), "ingstray");
    assert_eq!(pig_latin_word("Hello"), "ellohay");
    assert_eq!(pig_latin_word("rhythm"), "rhythmay");
}

#[test]
fn translates_sentences_and_counts() {
    assert_eq!(translate("the quick  fox"), "ethay uickqay oxfay");
    assert_eq!(vowel_count("Education IS fun"), 7);
    assert_eq!(vowel_count("xyz"), 0);
}
