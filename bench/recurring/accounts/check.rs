fn ada() -> User {
    User::new(1, "alovelace").unwrap().with_nickname("  Ada Lovelace ")
}

fn bob() -> User {
    User::new(2, "bob").unwrap()
}

fn zed() -> User {
    User::new(3, "zed").unwrap().with_nickname("Aaron").with_role(Role::Admin)
}

#[test]
fn welcome_uses_the_nickname() {
    assert_eq!(welcome_message(&ada()), "Welcome aboard, Ada Lovelace!");
}

#[test]
fn welcome_falls_back_to_the_login() {
    assert_eq!(welcome_message(&bob()), "Welcome aboard, bob!");
}

#[test]
fn mention_and_audit_use_the_login() {
    assert_eq!(mention(&ada()), "@alovelace");
    assert_eq!(audit_entry(&ada(), "delete"), "user=alovelace id=1 action=delete");
}

#[test]
fn roster_lines() {
    assert_eq!(roster_line(&ada()), "Ada Lovelace    member");
    assert_eq!(roster_line(&zed()), "Aaron           admin");
    assert_eq!(roster_line(&bob()), "bob             member");
}

#[test]
fn member_list_sorted_by_display_name() {
    let mut users = vec![ada(), bob(), zed()];
    sort_for_display(&mut users);
    let logins: Vec<&str> = users.iter().map(|u| u.name()).collect();
    assert_eq!(logins, vec!["zed", "alovelace", "bob"]);
}

#[test]
fn sorting_ignores_case() {
    let mut users = vec![
        User::new(4, "x1").unwrap().with_nickname("beth"),
        User::new(5, "x2").unwrap().with_nickname("Anna"),
        User::new(6, "x3").unwrap(),
    ];
    sort_for_display(&mut users);
    let shown: Vec<&str> = users.iter().map(|u| u.display_name()).collect();
    assert_eq!(shown, vec!["Anna", "beth", "x3"]);
}

#[test]
fn initials_from_the_displayed_name() {
    assert_eq!(initials(&ada()), "AL");
    assert_eq!(initials(&bob()), "B");
    assert_eq!(initials(&User::new(7, "q").unwrap().with_nickname("jean luc picard")), "JL");
}

#[test]
fn notification_subjects() {
    assert_eq!(notification_subject(&ada(), "commented on", "Roadmap"), "Ada Lovelace commented on Roadmap");
    assert_eq!(notification_subject(&bob(), "closed", "#12"), "bob closed #12");
}

#[test]
fn team_cards() {
    let mut team = Team::new("Core");
    assert_eq!(team_card(&team), "Core: nobody yet");
    team.add(ada()).unwrap();
    assert_eq!(team_card(&team), "Core: Ada Lovelace");
    team.add(bob()).unwrap();
    assert_eq!(team_card(&team), "Core: Ada Lovelace and bob");
    team.add(zed()).unwrap();
    team.add(User::new(8, "dee").unwrap()).unwrap();
    assert_eq!(team_card(&team), "Core: Ada Lovelace, bob and 2 others");
}

#[test]
fn team_rules() {
    let mut team = Team::new("Core");
    team.add(bob()).unwrap();
    assert_eq!(team.add(bob()), Err(AccountError::Duplicate("bob".into())));
    assert_eq!(team.member("nobody").unwrap_err(), AccountError::UnknownUser("nobody".into()));
    assert_eq!(team.member("bob").unwrap().id(), 2);
}

#[test]
fn user_invariants() {
    assert_eq!(User::new(1, "Ada"), Err(AccountError::InvalidLogin("Ada".into())));
    assert_eq!(ada().with_nickname("   ").nickname(), None);
    let with_email = bob().with_email(" Bob@Example.COM").unwrap();
    assert_eq!(with_email.email(), Some("bob@example.com"));
    assert!(bob().with_email("bob.example.com").is_err());
    let mut gone = bob();
    gone.deactivate();
    assert!(!gone.is_active());
}
