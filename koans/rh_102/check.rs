#[test]
fn averages_mixed_units() {
    assert_eq!(mean_latency(&["10ms", "0.5s", " 30ms "]), Ok(180.0));
    assert_eq!(mean_latency(&["1.5ms"]), Ok(1.5));
}

#[test]
fn reports_bad_samples() {
    assert_eq!(mean_latency(&[]), Err("no samples".to_string()));
    assert_eq!(mean_latency(&["10ms", "12"]), Err("no unit in \"12\"".to_string()));
    assert_eq!(mean_latency(&["fastms"]), Err("bad number in \"fastms\"".to_string()));
}
