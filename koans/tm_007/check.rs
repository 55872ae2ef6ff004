#[test]
fn tags_are_trimmed() {
    let a = Article::new("hello", " rust , async,, web ");
    assert_eq!(a.tags(), vec!["rust".to_string(), "async".to_string(), "web".to_string()]);
    assert!(Article::new("empty", " , ").tags().is_empty());
}

#[test]
fn index_groups_slugs() {
    let arts = vec![
        Article::new("intro", "rust,beginner"),
        Article::new("tokio", "rust, async"),
        Article::new("css", "web"),
    ];
    let idx = tag_index(&arts);
    assert_eq!(idx.len(), 4);
    assert_eq!(idx["rust"], vec!["intro", "tokio"]);
    assert_eq!(idx["async"], vec!["tokio"]);
    assert_eq!(idx.keys().cloned().collect::<Vec<_>>(), vec!["async", "beginner", "rust", "web"]);
}
