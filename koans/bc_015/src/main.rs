fn letter_value(c: char) -> u32 {
    match c {
        'd' | 'g' => 2,
        'b' | 'c' | 'm' | 'p' => 3,
        'f' | 'h' | 'v' | 'w' | 'y' => 4,
        'k' => 5,
        'j' | 'x' => 8,
        'q' | 'z' => 10,
        c if c.is_ascii_lowercase() => 1,
        _ => 0,
    }
}

/// Finds the highest-scoring word (punctuation stripped, lower-cased); the first one wins ties.
fn best_word(text: &str) -> (String, u32) {
    let mut best: &str = "";
    let mut best_score = 0;
    for raw in text.split_whitespace() {
        let word: String = raw.chars().filter(|c| c.is_alphabetic()).collect::<String>().to_lowercase();
        let score: u32 = word.chars().map(letter_value).sum();
        if score > best_score {
            best = &word;
            best_score = score;
        }
    }
    (best.to_string(), best_score)
}

fn main() {
    let (word, score) = best_word("The quick brown fox jumps over the lazy dog.");
    println!("{word}: {score}");
}
