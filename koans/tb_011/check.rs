#[test]
fn dedupes_after_normalising() {
    let mut list = MailingList::new();
    assert!(list.subscribe("Ann@Example.com"));
    assert!(!list.subscribe("ann+news@example.com"));
    assert!(!list.subscribe(" ANN@example.COM "));
    assert!(list.subscribe("bob@mail.org"));
    assert!(list.subscribe("ann@other.net"));
    assert_eq!(list.members.len(), 3);
    assert!(list.rejected.is_empty());
}

#[test]
fn invalid_addresses_are_rejected() {
    let mut list = MailingList::new();
    for raw in ["nobody", "eve@local", "+x@a.com", "carl@site.io"] {
        list.subscribe(raw);
    }
    assert_eq!(list.members.len(), 1);
    assert_eq!(list.rejected, vec!["nobody", "eve@local", "+x@a.com"]);
    let carl = list.members.iter().next().unwrap();
    assert_eq!((carl.user.as_str(), carl.domain.as_str()), ("carl", "site.io"));
}
