const TEXT: &str = "Hello  World\nhello world\n\nbye\nHELLO WORLD\nBye\n\nnew";

#[test]
fn counts_case_and_space_insensitive_repeats() {
    assert_eq!(count_repeats(TEXT), 3);
    assert_eq!(count_repeats("a\nb\nc"), 0);
    assert_eq!(count_repeats("\n\n\n"), 0);
}

#[test]
fn lists_distinct_lines() {
    assert_eq!(distinct(TEXT), vec!["hello world", "bye", "new"]);
}
