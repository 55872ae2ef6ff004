#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub name: String,
    pub email: String,
    pub age: u8,
}

pub struct AddressBook {
    contacts: Vec<Contact>,
}

impl AddressBook {
    pub fn new() -> Self {
        AddressBook { contacts: Vec::new() }
    }

    pub fn add(&mut self, name: String, email: String, age: u8) {
        self.contacts.push(Contact { name, email, age });
    }

    /// Imports one line of the form `name; email; age`.
    pub fn import_line(&mut self, line: &str) -> Result<(), String> {
        let parts: Vec<&str> = line.split(';').map(|p| p.trim()).collect();
        if parts.len() != 3 {
            return Err(format!("expected 3 fields, got {}", parts.len()));
        }
        let age = parts[2].parse::<u8>().map_err(|e| e.to_string())?;
        self.add(parts[0], parts[1], age);
        Ok(())
    }

    pub fn find_by_domain(&self, domain: &str) -> Vec<&str> {
        self.contacts
            .iter()
            .filter(|c| c.email.ends_with(&format!("@{domain}")))
            .map(|c| c.name.as_str())
            .collect()
    }

    pub fn len(&self) -> usize {
        self.contacts.len()
    }
}
