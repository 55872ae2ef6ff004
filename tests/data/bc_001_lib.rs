pub struct Book {
    pub title: String,
    pub author: String,
}

pub struct Catalog {
    books: Vec<Book>,
    titles: Vec<String>,
}

impl Catalog {
    pub fn new() -> Self {
        Catalog { books: Vec::new(), titles: Vec::new() }
    }

    /// Adds a book and returns how many books the catalog now holds.
    pub fn add(&mut self, title: String, author: String) -> usize {
        let book = Book { title, author };
        self.books.push(book);
        self.titles.push(title);
        self.books.len()
    }

    pub fn titles_sorted(&self) -> Vec<String> {
        let mut out = self.titles.clone();
        out.sort();
        out
    }

    pub fn by_author(&self, author: &str) -> Vec<&str> {
        self.books
            .iter()
            .filter(|b| b.author == author)
            .map(|b| b.title.as_str())
            .collect()
    }
}
