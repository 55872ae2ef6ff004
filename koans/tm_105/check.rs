#[test]
fn small_images() {
    assert_eq!(buffer_size(640, 480, 3), 921_600);
    assert_eq!(buffer_size(0, 480, 4), 0);
    assert_eq!(megabytes(buffer_size(1024, 1024, 4)), 4.0);
}

#[test]
fn huge_images_do_not_overflow() {
    assert_eq!(buffer_size(100_000, 100_000, 4), 40_000_000_000);
    assert_eq!(buffer_size(u32::MAX, 2, 1), 8_589_934_590);
    assert!(fits(&[(1920, 1080), (1920, 1080)], 4, 16_588_800));
    assert!(!fits(&[(70_000, 70_000)], 1, u32::MAX as u64));
}
