/// Turns a post title into a URL slug: "Hello, World!" -> "hello-world".
fn slugify(title: &str) -> String {
    let mut slug = String::new();
    let mut pending_dash = false;
    for c in title.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(c.to_lowercase());
        } else {
            pending_dash = true;
        }
    }
    slug
}

fn post_url(base: &str, title: &str) -> String {
    format!("{}/posts/{}", base.trim_end_matches('/'), slugify(title))
}

fn main() {
    for title in ["Hello, World!", "  Rust 2024: what's new?  "] {
        println!("{}", post_url("https://blog.example.com/", title));
    }
}
