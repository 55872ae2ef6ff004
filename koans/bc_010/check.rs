#[test]
fn slugs() {
    assert_eq!(slugify("Hello, World!"), "hello-world");
    assert_eq!(slugify("  Rust 2024: what's new?  "), "rust-2024-what-s-new");
    assert_eq!(slugify("ALREADY-slugged"), "already-slugged");
    assert_eq!(slugify("!!!"), "");
}

#[test]
fn urls() {
    assert_eq!(post_url("https://blog.example.com/", "Hello, World!"), "https://blog.example.com/posts/hello-world");
    assert_eq!(post_url("http://x.org", "A  B"), "http://x.org/posts/a-b");
}
