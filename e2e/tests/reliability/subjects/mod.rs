//! The five services as the fault cases drive them: one message kind each that reads its
//! upstream and writes Delius rows, with people from the service's `tests/fixtures/people.sql`.

pub mod case_notes;
pub mod custody_status;
pub mod manage_pom_cases;
pub mod refer_and_monitor;
pub mod workforce_allocations;
