//! Tokens borrowing the source text, and the lexer that produces them.

use crate::error::{LexError, LexErrorKind};
use crate::span::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TokenKind {
    Int,
    Ident,
    True,
    False,
    Let,
    In,
    If,
    Then,
    Else,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Caret,
    Bang,
    AndAnd,
    OrOr,
    EqEq,
    NotEq,
    Lt,
    Le,
    Gt,
    Ge,
    Assign,
    LParen,
    RParen,
    Comma,
    Eof,
}

impl TokenKind {
    /// A human description used in error messages.
    pub fn describe(&self) -> &'static str {
        match self {
            TokenKind::Int => "an integer",
            TokenKind::Ident => "an identifier",
            TokenKind::True | TokenKind::False => "a boolean",
            TokenKind::Let => "`let`",
            TokenKind::In => "`in`",
            TokenKind::If => "`if`",
            TokenKind::Then => "`then`",
            TokenKind::Else => "`else`",
            TokenKind::Plus => "`+`",
            TokenKind::Minus => "`-`",
            TokenKind::Star => "`*`",
            TokenKind::Slash => "`/`",
            TokenKind::Percent => "`%`",
            TokenKind::Caret => "`^`",
            TokenKind::Bang => "`!`",
            TokenKind::AndAnd => "`&&`",
            TokenKind::OrOr => "`||`",
            TokenKind::EqEq => "`==`",
            TokenKind::NotEq => "`!=`",
            TokenKind::Lt => "`<`",
            TokenKind::Le => "`<=`",
            TokenKind::Gt => "`>`",
            TokenKind::Ge => "`>=`",
            TokenKind::Assign => "`=`",
            TokenKind::LParen => "`(`",
            TokenKind::RParen => "`)`",
            TokenKind::Comma => "`,`",
            TokenKind::Eof => "end of input",
        }
    }

    fn keyword(text: &str) -> Option<TokenKind> {
        let kind = match text {
            "true" => TokenKind::True,
            "false" => TokenKind::False,
            "let" => TokenKind::Let,
            "in" => TokenKind::In,
            "if" => TokenKind::If,
            "then" => TokenKind::Then,
            "else" => TokenKind::Else,
            _ => return None,
        };
        Some(kind)
    }
}

/// A token: its kind, the exact source text and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: TokenKind,
    pub text: &'a str,
    pub span: Span,
}

impl<'a> Token<'a> {
    /// The value of an integer token. Only called on tokens the lexer checked.
    pub fn int_value(&self) -> Option<i64> {
        match self.kind {
            TokenKind::Int => self.text.parse().ok(),
            _ => None,
        }
    }

    pub fn is(&self, kind: TokenKind) -> bool {
        self.kind == kind
    }
}

#[derive(Debug, Clone)]
pub struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    finished: bool,
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str) -> Lexer<'a> {
        Lexer {
            src,
            pos: 0,
            finished: false,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.src.as_bytes().get(self.pos + ahead).copied()
    }

    fn bump_while<F>(&mut self, pred: F) -> usize
    where
        F: Fn(u8) -> bool,
    {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if !pred(b) {
                break;
            }
            self.pos += 1;
        }
        self.pos - start
    }

    fn token(&self, kind: TokenKind, start: usize) -> Token<'a> {
        Token {
            kind,
            text: &self.src[start..self.pos],
            span: Span::new(start, self.pos),
        }
    }

    /// Skips whitespace, `# line comments` and `/* block comments */`.
    fn skip_trivia(&mut self) -> Result<(), LexError> {
        loop {
            self.bump_while(|b| b.is_ascii_whitespace());
            match (self.peek(), self.peek_at(1)) {
                (Some(b'#'), _) => {
                    self.bump_while(|b| b != b'\n');
                }
                (Some(b'/'), Some(b'*')) => {
                    let start = self.pos;
                    match self.src[self.pos + 2..].find("*/") {
                        Some(end) => self.pos += end + 4,
                        None => {
                            self.pos = self.src.len();
                            return Err(LexError {
                                kind: LexErrorKind::UnterminatedComment,
                                span: Span::new(start, self.pos),
                            });
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    /// The token `next_token` would return, without consuming it.
    pub fn peek_token(&self) -> Result<Token<'a>, LexError> {
        let mut probe = self.clone();
        probe.next_token()
    }

    /// The unread rest of the input.
    pub fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    pub fn next_token(&mut self) -> Result<Token<'a>, LexError> {
        self.skip_trivia()?;
        let start = self.pos;
        let byte = match self.peek() {
            Some(b) => b,
            None => return Ok(self.token(TokenKind::Eof, start)),
        };
        if byte.is_ascii_digit() {
            self.bump_while(|b| b.is_ascii_digit());
            let token = self.token(TokenKind::Int, start);
            if token.text.parse::<i64>().is_err() {
                return Err(LexError {
                    kind: LexErrorKind::IntegerTooLarge,
                    span: token.span,
                });
            }
            return Ok(token);
        }
        if byte.is_ascii_alphabetic() || byte == b'_' {
            self.bump_while(|b| b.is_ascii_alphanumeric() || b == b'_');
            let text = &self.src[start..self.pos];
            let kind = TokenKind::keyword(text).unwrap_or(TokenKind::Ident);
            return Ok(self.token(kind, start));
        }
        let two = (byte, self.peek_at(1));
        let (kind, width) = match two {
            (b'&', Some(b'&')) => (TokenKind::AndAnd, 2),
            (b'|', Some(b'|')) => (TokenKind::OrOr, 2),
            (b'=', Some(b'=')) => (TokenKind::EqEq, 2),
            (b'!', Some(b'=')) => (TokenKind::NotEq, 2),
            (b'<', Some(b'=')) => (TokenKind::Le, 2),
            (b'>', Some(b'=')) => (TokenKind::Ge, 2),
            (b'+', _) => (TokenKind::Plus, 1),
            (b'-', _) => (TokenKind::Minus, 1),
            (b'*', _) => (TokenKind::Star, 1),
            (b'/', _) => (TokenKind::Slash, 1),
            (b'%', _) => (TokenKind::Percent, 1),
            (b'^', _) => (TokenKind::Caret, 1),
            (b'!', _) => (TokenKind::Bang, 1),
            (b'<', _) => (TokenKind::Lt, 1),
            (b'>', _) => (TokenKind::Gt, 1),
            (b'=', _) => (TokenKind::Assign, 1),
            (b'(', _) => (TokenKind::LParen, 1),
            (b')', _) => (TokenKind::RParen, 1),
            (b',', _) => (TokenKind::Comma, 1),
            _ => {
                let c = self.src[start..].chars().next().unwrap_or('\u{fffd}');
                return Err(LexError {
                    kind: LexErrorKind::UnexpectedChar(c),
                    span: Span::new(start, start + c.len_utf8()),
                });
            }
        };
        self.pos += width;
        Ok(self.token(kind, start))
    }
}

impl<'a> Iterator for Lexer<'a> {
    type Item = Result<Token<'a>, LexError>;

    /// Yields every token including a final `Eof`, then stops; stops after an error too.
    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let result = self.next_token();
        match &result {
            Ok(token) if token.kind == TokenKind::Eof => self.finished = true,
            Err(_) => self.finished = true,
            Ok(_) => {}
        }
        Some(result)
    }
}

/// All tokens of `src`, ending with `Eof`.
pub fn tokenize(src: &str) -> Result<Vec<Token<'_>>, LexError> {
    Lexer::new(src).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<TokenKind> {
        tokenize(src).unwrap().iter().map(|t| t.kind).collect()
    }

    #[test]
    fn lexes_operators_greedily() {
        use TokenKind::*;
        assert_eq!(
            kinds("a<=b&&!c!=d||e>=f<g>h==i=j"),
            vec![
                Ident, Le, Ident, AndAnd, Bang, Ident, NotEq, Ident, OrOr, Ident, Ge, Ident, Lt,
                Ident, Gt, Ident, EqEq, Ident, Assign, Ident, Eof
            ]
        );
    }

    #[test]
    fn tokens_borrow_their_text() {
        let src = "let total = price_1 * 12 in total";
        let tokens = tokenize(src).unwrap();
        assert_eq!(tokens[0].kind, TokenKind::Let);
        assert_eq!(tokens[1].text, "total");
        assert_eq!(tokens[3].span, Span::new(12, 19));
        assert_eq!(tokens[5].int_value(), Some(12));
        assert_eq!(tokens[1].int_value(), None);
        assert!(tokens.last().unwrap().is(TokenKind::Eof));
    }

    #[test]
    fn skips_comments() {
        assert_eq!(
            kinds("1 # one\n+ /* two\n */ 2"),
            vec![TokenKind::Int, TokenKind::Plus, TokenKind::Int, TokenKind::Eof]
        );
        let err = tokenize("1 /* open").unwrap_err();
        assert_eq!(err.kind, LexErrorKind::UnterminatedComment);
        assert_eq!(err.span, Span::new(2, 9));
    }

    #[test]
    fn reports_bad_characters_with_span() {
        let err = tokenize("1 + é").unwrap_err();
        assert_eq!(err.kind, LexErrorKind::UnexpectedChar('é'));
        assert_eq!(err.span, Span::new(4, 6));
        let err = tokenize("a | b").unwrap_err();
        assert_eq!(err.kind, LexErrorKind::UnexpectedChar('|'));
    }

    #[test]
    fn rejects_integers_that_overflow() {
        let err = tokenize("99999999999999999999").unwrap_err();
        assert_eq!(err.kind, LexErrorKind::IntegerTooLarge);
        assert_eq!(kinds("9223372036854775807"), vec![TokenKind::Int, TokenKind::Eof]);
    }

    #[test]
    fn peek_token_does_not_consume() {
        let mut lexer = Lexer::new("let x");
        assert_eq!(lexer.peek_token().unwrap().kind, TokenKind::Let);
        assert_eq!(lexer.rest(), "let x");
        assert_eq!(lexer.next_token().unwrap().kind, TokenKind::Let);
        assert_eq!(lexer.rest(), " x");
        assert_eq!(lexer.peek_token().unwrap().text, "x");
    }

    #[test]
    fn iterator_stops_after_eof() {
        let mut lexer = Lexer::new("x");
        assert!(lexer.next().is_some());
        assert_eq!(lexer.next().unwrap().unwrap().kind, TokenKind::Eof);
        assert!(lexer.next().is_none());
    }
}
