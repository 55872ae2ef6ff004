/// Pig Latin: words starting with a vowel get "way" appended; otherwise the
/// leading consonants move to the end followed by "ay".
pub fn pig_latin_word(word: &str) -> String {
    let lower = word.to_lowercase();
    match lower.chars().position(is_vowel) {
        Some(0) => format!("{lower}way"),
        Some(i) => format!("{}{}ay", &lower[i..], &lower[..i]),
        None => format!("{lower}ay"),
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u')
}

pub fn translate(sentence: &str) -> String {
    sentence
        .split_whitespace()
        .map(pig_latin_word)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Counts vowels (a, e, i, o, u) in upper or lower case.
pub fn vowel_count(text: &str) -> usize {
    text.chars().filter(|c| is_vowel(*c)).count()
}
