fn timeouts() -> Timeouts {
    Timeouts { connect_ms: 1_500, read_ms: 250, total_ms: 10_000 }
}

#[test]
fn connect_timeout_in_millis() {
    assert_eq!(timeouts().connect_timeout(), Duration::from_millis(1_500));
    assert_eq!(timeouts().connect_timeout().as_millis(), 1_500);
}

#[test]
fn read_timeout_in_millis() {
    assert_eq!(timeouts().read_timeout().as_millis(), 250);
}

#[test]
fn remaining_budget() {
    let t = timeouts();
    assert_eq!(t.remaining(Duration::from_millis(2_500)), Duration::from_millis(7_500));
    assert_eq!(t.remaining(Duration::from_secs(11)), Duration::ZERO);
}

#[test]
fn zero_settings_are_refused() {
    let mut t = timeouts();
    assert_eq!(t.validate(), Ok(()));
    t.read_ms = 0;
    assert_eq!(t.validate(), Err(PolicyError::ZeroSetting("read_ms")));
}

#[test]
fn backoff_doubles_up_to_the_cap() {
    let policy = RetryPolicy::new(100, 1_000, 6).unwrap();
    let waits: Vec<u128> = (1..=6).map(|r| policy.delay_for(r).as_millis()).collect();
    assert_eq!(waits, vec![100, 200, 400, 800, 1_000, 1_000]);
    assert_eq!(policy.delay_for(200).as_millis(), 1_000);
}

#[test]
fn policy_validation() {
    assert_eq!(RetryPolicy::new(0, 10, 3), Err(PolicyError::ZeroSetting("base_delay_ms")));
    assert_eq!(RetryPolicy::new(500, 100, 3), Err(PolicyError::CapBelowBase { base_ms: 500, max_ms: 100 }));
}

#[test]
fn jitter_stays_within_its_range() {
    let mut policy = RetryPolicy::new(100, 1_000, 3).unwrap();
    assert_eq!(policy.jitter_for(1, 7), Duration::ZERO);
    policy.jitter_ms = 50;
    for seed in 0..200u64 {
        for retry in 1..4 {
            let jitter = policy.jitter_for(retry, seed);
            assert!(jitter <= Duration::from_millis(50), "{jitter:?}");
            assert_eq!(jitter.subsec_nanos() % 1_000_000, 0);
        }
    }
    assert_eq!(policy.jitter_for(1, 1).as_millis(), u128::from(0x9e37_79b9_7f4a_7c15u64.wrapping_add(1) % 51));
}

#[test]
fn retries_sleep_the_backoff() {
    let policy = RetryPolicy::new(100, 1_000, 4).unwrap();
    let mut clock = FakeClock::default();
    let result = run_with_retries(&policy, &timeouts(), &mut clock, |n| if n < 3 { Err(()) } else { Ok(n) });
    assert_eq!(result, Ok(3));
    assert_eq!(clock.sleeps, vec![Duration::from_millis(100), Duration::from_millis(200)]);
}

#[test]
fn retries_give_up() {
    let policy = RetryPolicy::new(100, 1_000, 3).unwrap();
    let mut clock = FakeClock::default();
    let result: Result<(), _> = run_with_retries(&policy, &timeouts(), &mut clock, |_| Err::<(), ()>(()));
    assert_eq!(result, Err(PolicyError::Exhausted { attempts: 3 }));
    assert_eq!(clock.now(), Duration::from_millis(300));
}

#[test]
fn retries_respect_the_total_budget() {
    let policy = RetryPolicy::new(4_000, 8_000, 5).unwrap();
    let mut clock = FakeClock::default();
    let result: Result<(), _> = run_with_retries(&policy, &timeouts(), &mut clock, |_| Err::<(), ()>(()));
    assert_eq!(result, Err(PolicyError::OutOfTime { spent: Duration::from_millis(4_000) }));
}

#[test]
fn rate_limit_window() {
    let mut limit = RateLimit::new(2, 1_000);
    assert_eq!(limit.window(), Duration::from_millis(1_000));
    let t = Duration::from_millis;
    assert_eq!(limit.acquire(t(0)), Duration::ZERO);
    assert_eq!(limit.acquire(t(100)), Duration::ZERO);
    assert_eq!(limit.acquire(t(200)), t(800));
    assert_eq!(limit.acquire(t(2_500)), Duration::ZERO);
}

#[test]
fn settings_parse() {
    assert_eq!(parse_setting_ms("250ms"), Some(250));
    assert_eq!(parse_setting_ms(" 3s "), Some(3_000));
    assert_eq!(parse_setting_ms("40"), Some(40));
    assert_eq!(parse_setting_ms("soon"), None);
    assert_eq!(PolicyError::OutOfTime { spent: Duration::from_millis(12) }.to_string(), "out of time after 12 ms");
}
