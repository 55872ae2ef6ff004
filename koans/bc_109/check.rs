fn msg(subject: &str, urgent: bool) -> Message {
    Message { subject: subject.to_string(), body: format!("about {}", subject), urgent }
}

#[test]
fn delivers_and_logs_subjects() {
    let (mut outbox, rx) = Outbox::new();
    assert!(outbox.send(msg("invoice", false)));
    assert!(outbox.send(msg("outage", true)));
    assert_eq!(rx.recv().unwrap(), msg("invoice", false));
    assert_eq!(rx.recv().unwrap(), msg("outage", true));
    assert_eq!(outbox.sent(), &["invoice".to_string(), "!outage".to_string()]);
}

#[test]
fn closed_channel_logs_nothing() {
    let (mut outbox, rx) = Outbox::new();
    drop(rx);
    assert!(!outbox.send(msg("late", true)));
    assert!(outbox.sent().is_empty());
}
