#[derive(Debug, Clone, PartialEq)]
pub struct Book {
    pub isbn: String,
    pub title: String,
    pub on_loan: bool,
}

#[derive(Debug, PartialEq)]
pub enum LibraryError {
    UnknownIsbn(String),
    AlreadyOnLoan(String),
    NotOnLoan(String),
}

pub struct Library {
    books: Vec<Book>,
}

impl Library {
    pub fn new(books: Vec<Book>) -> Self {
        Library { books }
    }

    fn find_mut(&mut self, isbn: &str) -> Result<&mut Book, LibraryError> {
        self.books.iter_mut().find(|b| b.isbn == isbn)
    }

    pub fn checkout(&mut self, isbn: &str) -> Result<String, LibraryError> {
        let book = self.find_mut(isbn)?;
        if book.on_loan {
            return Err(LibraryError::AlreadyOnLoan(book.title.clone()));
        }
        book.on_loan = true;
        Ok(book.title.clone())
    }

    pub fn give_back(&mut self, isbn: &str) -> Result<(), LibraryError> {
        let book = self.find_mut(isbn)?;
        if !book.on_loan {
            return Err(LibraryError::NotOnLoan(book.title.clone()));
        }
        book.on_loan = false;
        Ok(())
    }

    pub fn available(&self) -> usize {
        self.books.iter().filter(|b| !b.on_loan).count()
    }
}
