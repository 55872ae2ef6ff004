fn sample() -> Groups {
    let mut g = Groups::default();
    for (group, user) in [("rust", "ann"), ("go", "bo"), ("rust", "cy"), ("rust", "ann"), ("zig", "di"), ("go", "ed")] {
        g.join(group, user);
    }
    g
}

#[test]
fn sizes_count_distinct_members() {
    let g = sample();
    assert_eq!(g.size("rust"), 2);
    assert_eq!(g.size("go"), 2);
    assert_eq!(g.size("cobol"), 0);
    assert_eq!(g.owner("rust"), Some("ann"));
    assert_eq!(g.owner("go"), Some("bo"));
    assert_eq!(g.owner("cobol"), None);
}

#[test]
fn busiest_groups_first() {
    let g = sample();
    assert_eq!(g.busiest(1), vec![("go", 2), ("rust", 2), ("zig", 1)]);
    assert_eq!(g.busiest(2), vec![("go", 2), ("rust", 2)]);
    assert!(g.busiest(3).is_empty());
}
