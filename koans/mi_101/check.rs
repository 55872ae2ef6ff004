#[test]
fn keeps_only_the_newest_lines() {
    let mut log = RingLog::with_capacity(2);
    log.push("boot");
    log.push("mount");
    assert_eq!(log.dump(), "boot\nmount");
    log.push("net up");
    log.push("ready");
    assert_eq!(log.dump(), "(2 earlier lines dropped)\nnet up\nready");
}

#[test]
fn capacity_one() {
    let mut log = RingLog::with_capacity(1);
    assert_eq!(log.dump(), "");
    log.push("a");
    log.push("b");
    assert_eq!(log.dump(), "(1 earlier lines dropped)\nb");
}
