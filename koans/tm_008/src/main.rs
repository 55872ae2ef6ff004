const LOAN_DAYS: u32 = 14;
const FINE_PER_DAY_CENTS: u32 = 25;
const MAX_FINE_CENTS: u32 = 1000;

struct Loan {
    title: String,
    days_out: u32,
}

fn fine_cents(loan: &Loan) -> u32 {
    let overdue = loan.days_out.saturating_sub(LOAN_DAYS);
    if overdue > 0 {
        (overdue * FINE_PER_DAY_CENTS).min(MAX_FINE_CENTS)
    }
}

fn overdue_titles(loans: &[Loan]) -> Vec<&str> {
    let mut out = Vec::new();
    for loan in loans {
        if fine_cents(loan) > 0 {
            out.push(loan.title.as_str());
        }
    }
    out
}

fn main() {
    let loans = vec![
        Loan { title: "Dune".to_string(), days_out: 20 },
        Loan { title: "Emma".to_string(), days_out: 3 },
    ];
    let total: u32 = loans.iter().map(fine_cents).sum();
    println!("overdue: {:?}, total fines {} cents", overdue_titles(&loans), total);
}
