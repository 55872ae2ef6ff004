fn missing(key: &str) -> StoreError {
    StoreError::Missing(key.to_string())
}

#[test]
fn get_live_value() {
    let mut store = Store::new();
    store.set("greeting", Value::Text("hello".into()));
    assert_eq!(store.get("greeting"), Ok(&Value::Text("hello".into())));
    assert_eq!(store.get_text("greeting"), Ok("hello"));
}

#[test]
fn get_missing_names_the_key() {
    let store = Store::new();
    assert_eq!(store.get("session:42"), Err(missing("session:42")));
    assert_eq!(store.get_text("session:42"), Err(missing("session:42")));
}

#[test]
fn get_expired() {
    let mut store = Store::new();
    store.set_with_ttl("token", Value::Text("t".into()), 10);
    store.advance_to(9);
    assert!(store.get("token").is_ok());
    store.advance_to(10);
    assert_eq!(store.get("token"), Err(StoreError::Expired { key: "token".into(), at: 10 }));
    assert_eq!(store.purge_expired(), 1);
    assert_eq!(store.get("token"), Err(missing("token")));
}

#[test]
fn take_removes() {
    let mut store = Store::new();
    store.set("job", Value::Int(7));
    assert_eq!(store.take("job"), Ok(Value::Int(7)));
    assert_eq!(store.take("job"), Err(missing("job")));
    assert!(store.is_empty());
}

#[test]
fn incr_counters() {
    let mut store = Store::new();
    store.set("hits", Value::Int(1));
    assert_eq!(store.incr("hits", 2), Ok(3));
    assert_eq!(store.incr("misses", 1), Err(missing("misses")));
    store.set("big", Value::Int(i64::MAX));
    assert_eq!(store.incr("big", 1), Err(StoreError::Overflow("big".into())));
    store.set("name", Value::Text("x".into()));
    assert_eq!(store.incr("name", 1), Err(StoreError::WrongType { key: "name".into(), expected: "an integer" }));
}

#[test]
fn push_to_lists() {
    let mut store = Store::new();
    store.set("queue", Value::List(vec![]));
    assert_eq!(store.push("queue", "a"), Ok(1));
    assert_eq!(store.push("queue", "b"), Ok(2));
    assert_eq!(store.push("backlog", "a"), Err(missing("backlog")));
    store.set("n", Value::Int(0));
    assert_eq!(store.push("n", "a"), Err(StoreError::WrongType { key: "n".into(), expected: "a list" }));
}

#[test]
fn rename_moves_the_entry() {
    let mut store = Store::new();
    store.set("old", Value::Int(1));
    assert_eq!(store.rename("old", "new"), Ok(()));
    assert_eq!(store.get("new"), Ok(&Value::Int(1)));
    assert_eq!(store.rename("old", "newer"), Err(missing("old")));
    assert_eq!(store.len(), 1);
}

#[test]
fn ttl_left() {
    let mut store = Store::new();
    store.advance_to(100);
    store.set_with_ttl("t", Value::Int(1), 30);
    store.set("forever", Value::Int(2));
    store.advance_to(110);
    assert_eq!(store.ttl("t"), Ok(Some(20)));
    assert_eq!(store.ttl("forever"), Ok(None));
    assert_eq!(store.ttl("nope"), Err(missing("nope")));
}

#[test]
fn namespaces_must_exist() {
    let mut registry = Registry::new();
    registry.create("sessions").set("a", Value::Int(1));
    assert_eq!(registry.namespace("sessions").unwrap().len(), 1);
    assert_eq!(registry.namespace("rate_limits").unwrap_err(), missing("rate_limits"));
}

#[test]
fn dropping_namespaces() {
    let mut registry = Registry::new();
    let sessions = registry.create("sessions");
    sessions.set("a", Value::Int(1));
    sessions.set("b", Value::Int(2));
    assert_eq!(registry.drop_namespace("sessions"), Ok(2));
    assert_eq!(registry.drop_namespace("sessions"), Err(missing("sessions")));
}

#[test]
fn messages() {
    assert_eq!(missing("k").to_string(), "no key `k`");
    assert_eq!(StoreError::Expired { key: "k".into(), at: 3 }.to_string(), "key `k` expired at 3");
}
