#[test]
fn evaluates_rpn() {
    let mut calc = Calculator::new();
    assert_eq!(calc.eval("3 4 + 2 *"), Some(14));
    assert_eq!(calc.eval("10 3 -"), Some(7));
    assert_eq!(calc.eval("2 3 4 * -"), Some(-10));
    assert_eq!(calc.eval("42"), Some(42));
}

#[test]
fn invalid_expressions_are_not_recorded() {
    let mut calc = Calculator::new();
    assert_eq!(calc.eval("1 +"), None);
    assert_eq!(calc.eval("1 2"), None);
    assert_eq!(calc.eval("x 1 +"), None);
    assert_eq!(calc.history_len(), 0);
    assert_eq!(calc.last(), None);
}

#[test]
fn history_keeps_results() {
    let mut calc = Calculator::new();
    calc.eval("5 5 *");
    calc.eval("bad");
    calc.eval("9 1 -");
    assert_eq!(calc.history_len(), 2);
    assert_eq!(calc.last(), Some(&("9 1 -".to_string(), 8)));
}
