#[derive(Clone)]
pub struct Document {
    pub title: String,
    pub lines: Vec<String>,
}

pub struct Editor {
    current: Document,
    history: Vec<Document>,
}

impl Editor {
    pub fn new(title: &str) -> Self {
        Editor {
            current: Document { title: title.to_string(), lines: Vec::new() },
            history: Vec::new(),
        }
    }

    fn snapshot(&mut self) {
        self.history.push(self.current.clone());
    }

    pub fn append(&mut self, line: &str) {
        self.snapshot();
        self.current.lines.push(line.to_string());
    }

    pub fn rename(&mut self, title: &str) {
        self.snapshot();
        self.current.title = title.to_string();
    }

    pub fn undo(&mut self) -> bool {
        match self.history.pop() {
            Some(previous) => {
                self.current = previous;
                true
            }
            None => false,
        }
    }

    pub fn render(&self) -> String {
        format!("# {}\n{}", self.current.title, self.current.lines.join("\n"))
    }
}
