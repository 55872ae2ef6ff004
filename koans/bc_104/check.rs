#[test]
fn snapshot_is_labelled_by_newest_stamp() {
    let mut cache = Cache::new(100);
    cache.put("a", 5, 10);
    cache.put("b", 9, 20);
    cache.put("c", 7, 30);
    let snap = cache.freeze();
    assert_eq!(snap.label, "up to b");
    assert_eq!(snap.total_bytes, 60);
    let keys: Vec<&str> = snap.entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, vec!["a", "b", "c"]);
}

#[test]
fn eviction_and_empty_snapshot() {
    let mut cache = Cache::new(50);
    cache.put("a", 1, 30);
    cache.put("b", 2, 30);
    cache.put("a", 3, 10);
    let snap = cache.freeze();
    let keys: Vec<&str> = snap.entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, vec!["b", "a"]);
    assert_eq!(snap.label, "up to a");
    let empty = Cache::new(10).freeze();
    assert_eq!(empty.label, "empty");
    assert_eq!(empty.total_bytes, 0);
}
