fn contact(name: &str, email: Option<&str>, phone: Option<&str>) -> Contact {
    Contact { name: name.to_string(), email: email.map(String::from), phone: phone.map(String::from) }
}

#[test]
fn domain_is_extracted_and_lowercased() {
    let c = contact("ana", Some("ana@Example.COM"), None);
    assert_eq!(c.email_domain(), Some("example.com".to_string()));
    assert_eq!(c.email_domain(), Some("example.com".to_string()));
    assert_eq!(c.email.as_deref(), Some("ana@Example.COM"));
    assert_eq!(contact("bo", Some("not-an-address"), None).email_domain(), None);
    assert_eq!(contact("cy", None, Some("555")).email_domain(), None);
}

#[test]
fn channels_and_counts() {
    let all = vec![
        contact("ana", Some("ana@example.com"), None),
        contact("bo", Some("bo@EXAMPLE.com"), Some("555")),
        contact("cy", None, Some("556")),
        contact("dee", Some("dee@other.org"), None),
        contact("eve", None, None),
    ];
    assert_eq!(count_domain(&all, "example.com"), 2);
    assert_eq!(count_domain(&all, "other.org"), 1);
    assert_eq!(all[1].preferred_channel(), "email");
    assert_eq!(all[2].preferred_channel(), "phone");
    assert_eq!(all[4].preferred_channel(), "none");
    assert_eq!(all[3].name, "dee");
}
