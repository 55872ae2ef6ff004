#[derive(Debug)]
pub struct Account {
    pub owner: String,
    pub balance: i64,
}

#[derive(Debug, PartialEq)]
pub enum TransferError {
    SameAccount,
    Insufficient { needed: i64, available: i64 },
}

pub fn transfer(accounts: &mut Vec<Account>, from: usize, to: usize, amount: i64) -> Result<(), TransferError> {
    if from == to {
        return Err(TransferError::SameAccount);
    }
    let available = accounts[from].balance;
    if available < amount {
        return Err(TransferError::Insufficient { needed: amount, available });
    }
    accounts[from].balance -= amount;
    accounts[to].balance += amount;
    Ok(())
}

pub fn total(accounts: &[Account]) -> i64 {
    accounts.iter().map(|a| a.balance).sum()
}
