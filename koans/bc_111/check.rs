fn filled() -> Buckets {
    let mut b = Buckets::new(&[10, 20, 30]);
    for x in [25, 3, 15, 12, 99, 7, 11] {
        b.add(x);
    }
    b
}

#[test]
fn adds_samples_to_buckets() {
    let b = filled();
    assert_eq!(b.counts(), vec![(10, 2), (20, 3), (30, 2)]);
    assert_eq!(b.bucket(2), &[25, 99]);
}

#[test]
fn merge_keeps_samples_sorted() {
    let mut b = filled();
    b.merge_left(1);
    assert_eq!(b.counts(), vec![(20, 5), (30, 2)]);
    assert_eq!(b.bucket(0), &[3, 7, 11, 12, 15]);
    b.merge_left(1);
    assert_eq!(b.counts(), vec![(30, 7)]);
    assert_eq!(b.bucket(0), &[3, 7, 11, 12, 15, 25, 99]);
}
