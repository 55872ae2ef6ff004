#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Num(i64),
    Ident(String),
    Op(char),
    LParen,
    RParen,
}

pub fn tokenize(src: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric() {
            let start = i;
            while i < chars.len() && chars[i].is_alphanumeric() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            tokens.push(match word.parse() {
                Ok(n) => Token::Num(n),
                Err(_) => Token::Ident(word),
            });
        } else {
            tokens.push(match c {
                '(' => Token::LParen,
                ')' => Token::RParen,
                '+' | '-' | '*' | '/' => Token::Op(c),
                _ => return Err(format!("unexpected '{}' at {}", c, i)),
            });
            i += 1;
        }
    }
    Ok(tokens)
}

/// Re-prints source text with exactly one space between tokens, e.g. "( x + 12 )".
pub fn normalize_spacing(src: &str) -> Result<String, String> {
    let tokens = tokenize(src)?;
    let parts: Vec<String> = tokens.iter().map(|t| t.to_string()).collect();
    Ok(parts.join(" "))
}
