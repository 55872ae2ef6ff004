fn f(path: &str, size: u32) -> FileEntry {
    FileEntry { path: path.to_string(), size }
}

#[test]
fn sums_per_directory_without_overflow() {
    let files = vec![
        f("/var/log/syslog", 4_000_000_000),
        f("/var/log/kern.log", 4_000_000_000),
        f("/etc/hosts", 200),
        f("README", 10),
    ];
    let usage = usage_by_dir(&files);
    assert_eq!(usage.len(), 3);
    assert_eq!(usage["/var/log"], 8_000_000_000);
    assert_eq!(usage["/etc"], 200);
    assert_eq!(usage["."], 10);
}

#[test]
fn finds_largest() {
    let files = vec![f("/a/x", 5), f("/b/y", 7), f("/a/z", 4), f("/top", 1)];
    assert_eq!(largest_dir(&files), Some(("/a".to_string(), 9)));
    assert_eq!(usage_by_dir(&files)["/"], 1);
    assert_eq!(largest_dir(&[]), None);
}
