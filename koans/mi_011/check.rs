#[test]
fn limits_within_window() {
    let mut rl = RateLimiter::new(2, 10);
    assert!(rl.allow(100));
    assert!(rl.allow(101));
    assert!(!rl.allow(105));
    assert_eq!(rl.remaining(109), 0);
    assert_eq!(rl.remaining(110), 1);
    assert!(rl.allow(111));
    assert!(rl.allow(112));
    assert!(!rl.allow(112));
}

#[test]
fn fresh_limiter() {
    let mut rl = RateLimiter::new(3, 60);
    assert_eq!(rl.remaining(0), 3);
    assert!(rl.allow(0));
    assert_eq!(rl.remaining(59), 2);
    assert_eq!(rl.remaining(60), 3);
}
