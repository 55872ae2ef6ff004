fn bank() -> Vec<Account> {
    vec![
        Account { owner: "ana".to_string(), balance: 500 },
        Account { owner: "bo".to_string(), balance: 20 },
        Account { owner: "cy".to_string(), balance: 0 },
    ]
}

#[test]
fn successful_transfer_moves_money() {
    let mut a = bank();
    assert_eq!(transfer(&mut a, 0, 2, 120), Ok(()));
    assert_eq!(a[0].balance, 380);
    assert_eq!(a[2].balance, 120);
    assert_eq!(transfer(&mut a, 2, 1, 100), Ok(()));
    assert_eq!(a[1].balance, 120);
    assert_eq!(a[2].balance, 20);
    assert_eq!(total(&a), 520);
}

#[test]
fn rejected_transfers_change_nothing() {
    let mut a = bank();
    assert_eq!(transfer(&mut a, 1, 0, 21), Err(TransferError::Insufficient { needed: 21, available: 20 }));
    assert_eq!(transfer(&mut a, 1, 1, 5), Err(TransferError::SameAccount));
    assert_eq!(a[0].balance, 500);
    assert_eq!(a[1].balance, 20);
    assert_eq!(a[1].owner, "bo");
}
