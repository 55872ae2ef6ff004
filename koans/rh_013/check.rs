fn table() -> Vec<(Tier, Quota)> {
    vec![
        (Tier::Pro, Quota { per_minute: 100, burst: 20 }),
        (Tier::Enterprise, Quota { per_minute: 1000, burst: 0 }),
    ]
}

#[test]
fn looks_up_quotas() {
    let t = table();
    assert_eq!(quota_for(Tier::Pro, &t), Quota { per_minute: 100, burst: 20 });
    assert_eq!(quota_for(Tier::Enterprise, &t), Quota { per_minute: 1000, burst: 0 });
    assert_eq!(quota_for(Tier::Free, &t), DEFAULT_QUOTA);
    assert_eq!(quota_for(Tier::Pro, &[]), DEFAULT_QUOTA);
}

#[test]
fn simulates_bursts() {
    let t = table();
    assert_eq!(simulate("PRO", &t, 150), (120, 30));
    assert_eq!(simulate("free", &t, 12), (12, 0));
    assert_eq!(simulate("unknown", &t, 40), (15, 25));
    assert_eq!(simulate("enterprise", &t, 1001), (1000, 1));
    assert_eq!(parse_tier("Gold"), None);
}
