#[test]
fn checksum_values() {
    assert_eq!(checksum(&[]), 7);
    assert_eq!(checksum(&[1]), 218);
    assert_eq!(checksum(b"ab"), 9832);
}

#[test]
fn background_processing() {
    let jobs = vec![
        Job { id: 41, payload: vec![1] },
        Job { id: 42, payload: b"ab".to_vec() },
        Job { id: 43, payload: vec![] },
    ];
    let (summary, sums) = process_in_background(jobs);
    assert_eq!(summary, "queued 3 jobs, first id 41");
    assert_eq!(sums, vec![218, 9832, 7]);
    let (summary, sums) = process_in_background(Vec::new());
    assert_eq!(summary, "queued 0 jobs, first id 0");
    assert!(sums.is_empty());
}
