use std::collections::BTreeMap;

pub struct Article {
    pub slug: String,
    pub raw_tags: String,
}

impl Article {
    pub fn new(slug: &str, raw_tags: &str) -> Self {
        Article { slug: slug.to_string(), raw_tags: raw_tags.to_string() }
    }

    /// Tags are comma separated; blanks around them and empty tags are ignored.
    pub fn tags(&self) -> Vec<String> {
        self.raw_tags
            .split(',')
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect()
    }
}

/// Maps every tag to the slugs of the articles carrying it.
pub fn tag_index(articles: &[Article]) -> BTreeMap<String, Vec<String>> {
    let mut index: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for article in articles {
        for tag in article.tags() {
            index.entry(tag).or_default().push(article.slug.clone());
        }
    }
    index
}
