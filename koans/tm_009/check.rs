#[test]
fn tokenizes_expression() {
    assert_eq!(
        tokenize("12 + (3*40)").unwrap(),
        vec![Token::Num(12), Token::Plus, Token::LParen, Token::Num(3), Token::Star, Token::Num(40), Token::RParen]
    );
    assert_eq!(tokenize("7-2/1").unwrap(), vec![Token::Num(7), Token::Minus, Token::Num(2), Token::Slash, Token::Num(1)]);
    assert_eq!(tokenize("   ").unwrap(), vec![]);
}

#[test]
fn rejects_unknown_chars() {
    assert_eq!(tokenize("1 % 2"), Err("unexpected '%' at 2".to_string()));
    assert!(tokenize("a").is_err());
}
