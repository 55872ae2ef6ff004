pub struct Contact {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl Contact {
    /// Lower-cased domain part of the e-mail address, if there is a valid one.
    pub fn email_domain(&self) -> Option<String> {
        match &self.email {
            Some(address) => address.split_once('@').map(|(_, d)| d.to_lowercase()),
            None => None,
        }
    }

    pub fn preferred_channel(&self) -> &'static str {
        match (&self.email, &self.phone) {
            (Some(_), _) => "email",
            (None, Some(_)) => "phone",
            (None, None) => "none",
        }
    }
}

pub fn count_domain(contacts: &[Contact], domain: &str) -> usize {
    contacts
        .iter()
        .filter(|c| c.email_domain().as_deref() == Some(domain))
        .count()
}
