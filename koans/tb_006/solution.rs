#[derive(Debug, Clone, Copy, PartialEq)]
enum Status {
    Pending,
    Paid,
    Shipped,
    Delivered,
    Cancelled,
}

struct Order {
    id: u32,
    status: Status,
}

/// Moves an order one step forward. Finished orders do not move.
fn advance(order: &mut Order) -> bool {
    if order.status == Status::Delivered || order.status == Status::Cancelled {
        return false;
    }
    order.status = match order.status {
        Status::Pending => Status::Paid,
        Status::Paid => Status::Shipped,
        _ => Status::Delivered,
    };
    true
}

fn cancel(order: &mut Order) -> bool {
    if order.status == Status::Pending || order.status == Status::Paid {
        order.status = Status::Cancelled;
        return true;
    }
    false
}

fn count_with(orders: &[Order], status: Status) -> usize {
    orders.iter().filter(|o| o.status == status).count()
}

fn main() {
    let mut orders: Vec<Order> = (1..=4).map(|id| Order { id, status: Status::Pending }).collect();
    advance(&mut orders[0]);
    advance(&mut orders[1]);
    advance(&mut orders[1]);
    cancel(&mut orders[2]);
    for o in &orders {
        println!("order {}: {:?}", o.id, o.status);
    }
    println!("pending: {}", count_with(&orders, Status::Pending));
}
