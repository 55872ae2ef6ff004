#[test]
fn nickname_or_full_name() {
    let ada = Member::new("Ada", "Lovelace", None);
    let bob = Member::new("Robert", "Smith", Some("Bobby"));
    assert_eq!(ada.display_name(), "Ada Lovelace");
    assert_eq!(bob.display_name(), "Bobby");
    assert_eq!(bob.initials(), "RS");
}

#[test]
fn roll_call_lists_active_members_sorted() {
    let mut zed = Member::new("Zed", "Zimmer", None);
    zed.active = false;
    let members = vec![
        Member::new("Robert", "Smith", Some("Bobby")),
        zed,
        Member::new("Ada", "Lovelace", None),
        Member::new("Carl", "Ng", Some("Ace")),
    ];
    assert_eq!(
        roll_call(&members),
        vec!["Ace (CN)", "Ada Lovelace (AL)", "Bobby (RS)"]
    );
    assert!(roll_call(&[]).is_empty());
}
