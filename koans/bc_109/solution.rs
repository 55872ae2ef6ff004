use std::sync::mpsc::{channel, Receiver, Sender};

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub subject: String,
    pub body: String,
    pub urgent: bool,
}

pub struct Outbox {
    tx: Sender<Message>,
    sent: Vec<String>,
}

impl Outbox {
    pub fn new() -> (Outbox, Receiver<Message>) {
        let (tx, rx) = channel();
        (Outbox { tx, sent: Vec::new() }, rx)
    }

    /// Sends a message and logs its subject (marked `!` when urgent); false once the receiver is gone.
    pub fn send(&mut self, msg: Message) -> bool {
        let subject = msg.subject.clone();
        let mark = if msg.urgent { "!" } else { "" };
        if self.tx.send(msg).is_err() {
            return false;
        }
        self.sent.push(format!("{}{}", mark, subject));
        true
    }

    pub fn sent(&self) -> &[String] {
        &self.sent
    }
}
