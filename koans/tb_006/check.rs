#[test]
fn advance_walks_lifecycle() {
    let mut o = Order { id: 1, status: Status::Pending };
    assert!(advance(&mut o));
    assert!(matches!(o.status, Status::Paid));
    assert!(advance(&mut o));
    assert!(matches!(o.status, Status::Shipped));
    assert!(advance(&mut o));
    assert!(matches!(o.status, Status::Delivered));
    assert!(!advance(&mut o));
    assert!(matches!(o.status, Status::Delivered));
}

#[test]
fn cancel_only_before_shipping() {
    let mut a = Order { id: 2, status: Status::Paid };
    assert!(cancel(&mut a));
    assert!(matches!(a.status, Status::Cancelled));
    assert!(!advance(&mut a));
    let mut b = Order { id: 3, status: Status::Shipped };
    assert!(!cancel(&mut b));
    assert!(matches!(b.status, Status::Shipped));
}

#[test]
fn counting() {
    let orders = vec![
        Order { id: 1, status: Status::Pending },
        Order { id: 2, status: Status::Shipped },
        Order { id: 3, status: Status::Pending },
    ];
    assert_eq!(count_with(&orders, Status::Pending), 2);
    assert_eq!(count_with(&orders, Status::Shipped), 1);
    assert_eq!(count_with(&orders, Status::Cancelled), 0);
}
