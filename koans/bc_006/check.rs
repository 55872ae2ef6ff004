fn users() -> Vec<User> {
    vec![
        User { name: "ana".to_string(), muted: false },
        User { name: "bo".to_string(), muted: true },
        User { name: "cy".to_string(), muted: false },
    ]
}

#[test]
fn every_unmuted_user_gets_the_message() {
    let sent = broadcast(&users(), "maintenance at 9pm");
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0], Notification { to: "ana".to_string(), body: "[announcement] maintenance at 9pm".to_string() });
    assert_eq!(sent[1].to, "cy");
    assert_eq!(sent[1].body, "[announcement] maintenance at 9pm");
    assert_eq!(recipients(&sent), "ana, cy");
}

#[test]
fn nobody_to_notify() {
    assert!(broadcast(&[], "x").is_empty());
    let muted = vec![User { name: "dee".to_string(), muted: true }];
    assert!(broadcast(&muted, "x").is_empty());
    assert_eq!(recipients(&[]), "");
}
