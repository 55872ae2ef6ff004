#[test]
fn finds_normalised_words() {
    let idx = WordIndex::build("The cat. the DOG, the cat!");
    assert_eq!(idx.lookup("the"), &[0, 2, 4]);
    assert_eq!(idx.lookup("Cat!"), &[1, 5]);
    assert_eq!(idx.lookup("dog"), &[3]);
    assert_eq!(idx.lookup("bird"), &[] as &[usize]);
    assert_eq!(idx.vocabulary(), 3);
}

#[test]
fn punctuation_only_words_are_skipped() {
    let idx = WordIndex::build("-- hello -- HELLO");
    assert_eq!(idx.lookup("HeLLo"), &[1, 3]);
    assert_eq!(idx.vocabulary(), 1);
}
