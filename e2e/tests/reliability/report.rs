//! The fault table: one row per case, printed at the end of each suite.

use std::fmt::Write as _;

#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    pub case: String,
    pub sent: usize,
    pub rows_expected: i64,
    pub rows_found: i64,
    pub dlq_expected: u64,
    pub dlq_found: u64,
    /// From the first message sent to the case's end (rows settled, queue empty).
    pub seconds: f64,
    /// Anything else the case checked that did not hold (exit status, duplicates...).
    pub problems: Vec<String>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.rows_found == self.rows_expected
            && self.dlq_found == self.dlq_expected
            && self.problems.is_empty()
    }
}

/// Prints the table and fails the test when any case did not pass.
pub fn print_and_check(title: &str, results: &[CaseResult]) {
    let mut table = format!(
        "\n{title}\n| case | messages sent | rows expected | rows found | DLQ expected | DLQ found | seconds | result |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- |\n"
    );
    for r in results {
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} | {} | {} | {:.1} | {} |",
            r.case,
            r.sent,
            r.rows_expected,
            r.rows_found,
            r.dlq_expected,
            r.dlq_found,
            r.seconds,
            if r.passed() {
                "pass".to_owned()
            } else {
                format!("FAIL {}", r.problems.join("; "))
            }
        );
    }
    println!("{table}");
    let failed: Vec<_> = results.iter().filter(|r| !r.passed()).collect();
    assert!(failed.is_empty(), "{} case(s) failed:{table}", failed.len());
}
