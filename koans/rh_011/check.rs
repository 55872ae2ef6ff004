#[test]
fn evaluates_expressions() {
    assert_eq!(eval_rpn("3 4 + 2 *"), Ok(14));
    assert_eq!(eval_rpn("10 3 -"), Ok(7));
    assert_eq!(eval_rpn("20 4 / -2 *"), Ok(-10));
    assert_eq!(eval_rpn("42"), Ok(42));
}

#[test]
fn missing_operands_are_errors() {
    assert!(eval_rpn("5 +").is_err());
    assert!(eval_rpn("*").is_err());
    assert!(eval_rpn("1 2 + -").is_err());
    assert_eq!(eval_rpn("1 2 + 4 -"), Ok(-1));
}

#[test]
fn other_errors() {
    assert_eq!(eval_rpn("1 0 /"), Err("division by zero".to_string()));
    assert_eq!(eval_rpn("1 2 %"), Err("unknown operator '%'".to_string()));
    assert_eq!(eval_rpn(""), Err("empty expression".to_string()));
    assert_eq!(eval_rpn("1 2 3 +"), Err("2 values left on the stack".to_string()));
}
