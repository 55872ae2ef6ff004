fn tracker() -> Tracker {
    let mut t = Tracker::new();
    t.file("OPS", "Disk full on db-2");
    t.file("OPS", "Rotate TLS certificates");
    t.file("WEB", "Login button misaligned");
    t
}

fn bad(raw: &str) -> TrackerError {
    TrackerError::BadId(raw.to_string())
}

#[test]
fn ids_parse_as_people_type_them() {
    let id = TicketId::parse(" ops-0002 ").unwrap();
    assert_eq!((id.project(), id.number()), ("OPS", 2));
    assert_eq!(TicketId::parse("#WEB-1").unwrap().to_string(), "WEB-0001");
    for raw in ["OPS42", "O-1", "OPS-", "OPS-x1", "OPS-0", "TOOLONG-1", "-5"] {
        assert_eq!(TicketId::parse(raw), Err(bad(raw)), "{raw}");
    }
}

#[test]
fn show_summary() {
    let t = tracker();
    assert_eq!(cmd_show(&t, "ops-1").unwrap(), "OPS-0001 [Open] Disk full on db-2 (nobody)");
    assert_eq!(cmd_show(&t, " #WEB-0001").unwrap(), "WEB-0001 [Open] Login button misaligned (nobody)");
}

#[test]
fn show_errors() {
    let t = tracker();
    assert_eq!(cmd_show(&t, "ops 1"), Err(bad("ops 1")));
    assert_eq!(cmd_show(&t, "OPS-9"), Err(TrackerError::NotFound(TicketId::parse("OPS-9").unwrap())));
}

#[test]
fn start_then_close() {
    let mut t = tracker();
    assert_eq!(cmd_start(&mut t, "ops-2").unwrap(), "OPS-0002 is in progress");
    cmd_close(&mut t, "OPS-0002").unwrap();
    assert_eq!(t.ticket(&TicketId::parse("OPS-2").unwrap()).unwrap().state, State::Closed);
}

#[test]
fn close_errors() {
    let mut t = tracker();
    assert_eq!(cmd_close(&mut t, "OPS#2"), Err(bad("OPS#2")));
    cmd_close(&mut t, "ops-1").unwrap();
    let id = TicketId::parse("OPS-1").unwrap();
    assert_eq!(
        cmd_close(&mut t, "ops-1"),
        Err(TrackerError::BadTransition { id, from: State::Closed, to: State::Closed })
    );
}

#[test]
fn assign_by_typed_id() {
    let mut t = tracker();
    cmd_assign(&mut t, "web-1", "dana").unwrap();
    assert_eq!(cmd_show(&t, "WEB-1").unwrap(), "WEB-0001 [Open] Login button misaligned (dana)");
    assert_eq!(cmd_assign(&mut t, "web one", "dana"), Err(bad("web one")));
}

#[test]
fn comments_count() {
    let mut t = tracker();
    assert_eq!(cmd_comment(&mut t, "#ops-1", "  freed 20 GB  "), Ok(1));
    assert_eq!(cmd_comment(&mut t, "OPS-0001", "fixed"), Ok(2));
    assert_eq!(t.ticket(&TicketId::parse("OPS-1").unwrap()).unwrap().comments[0], "freed 20 GB");
    assert_eq!(cmd_comment(&mut t, "1", "x"), Err(bad("1")));
}

#[test]
fn links_both_ways() {
    let mut t = tracker();
    cmd_link(&mut t, "OPS-1", "web-1").unwrap();
    let web = t.ticket(&TicketId::parse("WEB-1").unwrap()).unwrap();
    assert_eq!(web.links, vec![TicketId::parse("OPS-1").unwrap()]);
    assert_eq!(cmd_link(&mut t, "OPS-1", "web1"), Err(bad("web1")));
    assert_eq!(cmd_link(&mut t, "OPS-1", "#ops-0001"), Err(TrackerError::SelfLink(TicketId::parse("OPS-1").unwrap())));
    assert_eq!(cmd_link(&mut t, "OPS-1", "WEB-5"), Err(TrackerError::NotFound(TicketId::parse("WEB-5").unwrap())));
}

#[test]
fn commit_messages() {
    let ids = mentioned_ids("Fix disk alert (fixes #OPS-1, refs web-1) and OPS-0001 again");
    let shown: Vec<String> = ids.iter().map(ToString::to_string).collect();
    assert_eq!(shown, vec!["OPS-0001", "WEB-0001"]);
}

#[test]
fn messages() {
    assert_eq!(bad("x").to_string(), "`x` is not a ticket id (expected e.g. OPS-42)");
    assert_eq!(TrackerError::NotFound(TicketId::parse("ops-7").unwrap()).to_string(), "no ticket OPS-0007");
}
