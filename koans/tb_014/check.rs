#[test]
fn respaces_expressions() {
    assert_eq!(normalize_spacing("(x+12)*  y").unwrap(), "( x + 12 ) * y");
    assert_eq!(normalize_spacing("  a/ b -3 ").unwrap(), "a / b - 3");
    assert_eq!(normalize_spacing("").unwrap(), "");
}

#[test]
fn tokens_and_errors() {
    assert_eq!(Token::Op('*').to_string(), "*");
    assert_eq!(Token::Num(-4).to_string(), "-4");
    assert_eq!(tokenize("f(2)").unwrap(), vec![Token::Ident("f".into()), Token::LParen, Token::Num(2), Token::RParen]);
    assert_eq!(normalize_spacing("a % b").unwrap_err(), "unexpected '%' at 2");
}
