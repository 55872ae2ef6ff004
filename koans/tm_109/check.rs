#[test]
fn drives_around() {
    let bot = run(&["forward 3", "RIGHT", "forward", "right", "forward 5", "left", "left", "left"]);
    assert_eq!(bot, Robot { x: 1, y: -2, heading: 'W' });
}

#[test]
fn ignores_unknown_commands() {
    assert_eq!(run(&[]), Robot { x: 0, y: 0, heading: 'N' });
    assert_eq!(run(&["jump", "left", "forward 2"]), Robot { x: -2, y: 0, heading: 'W' });
}
