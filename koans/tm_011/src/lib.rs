/// Joins a base URL and a path with exactly one slash between them.
pub fn endpoint(base: &str, path: &str) -> String {
    let base = base.trim_end_matches('/');
    let path = path.trim_start_matches('/');
    base + "/" + path
}

/// Appends query parameters, percent-encoding spaces.
pub fn with_query(url: &str, params: &[(&str, &str)]) -> String {
    let mut out = url.to_string();
    for (i, (key, value)) in params.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(key);
        out.push('=');
        out.push_str(&value.replace(' ', "%20"));
    }
    out
}

pub fn search_url(base: &str, term: &str, page: u32) -> String {
    let page = page.to_string();
    with_query(&endpoint(base, "/search"), &[("q", term), ("page", &page)])
}
