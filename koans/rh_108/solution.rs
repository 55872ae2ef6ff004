/// An undo/redo history of edit descriptions.
#[derive(Default)]
pub struct History {
    done: Vec<String>,
    undone: Vec<String>,
}

impl History {
    pub fn record(&mut self, edit: &str) {
        self.done.push(edit.to_string());
        self.undone.clear();
    }

    pub fn undo(&mut self) -> Result<String, String> {
        let last = match self.done.pop() {
            Some(edit) => edit,
            None => return Err("nothing to undo".to_string()),
        };
        self.undone.push(last.clone());
        Ok(last)
    }

    pub fn redo(&mut self) -> Result<String, String> {
        let edit = self.undone.pop().ok_or_else(|| "nothing to redo".to_string())?;
        self.done.push(edit.clone());
        Ok(edit)
    }
}
