#[test]
fn counts_requests_bytes_and_errors() {
    let log = "GET /index.html 200 5120\nGET /missing 404 300\nPOST /api 500 80\n";
    let stats = summarize(log);
    assert_eq!(
        stats,
        Stats { requests: 3, errors: 2, total_bytes: 5500, malformed: 0 }
    );
    assert_eq!(average_bytes(&stats), Some(1833));
}

#[test]
fn bad_byte_counts_are_malformed() {
    let log = "GET / 200 100\nGET /x 200 lots\nbroken line\nGET /y 503 -5\nGET /z 200 50";
    let stats = summarize(log);
    assert_eq!(stats.requests, 2);
    assert_eq!(stats.total_bytes, 150);
    assert_eq!(stats.malformed, 3);
    assert_eq!(stats.errors, 0);
}

#[test]
fn empty_log() {
    let stats = summarize("");
    assert_eq!(stats, Stats::default());
    assert_eq!(average_bytes(&stats), None);
}
