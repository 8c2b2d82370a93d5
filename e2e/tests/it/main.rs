//! Black-box tests of the local stack that `make run` and every service rely on: the built
//! `local-stack` binary against the SQS/SNS emulator and PostgreSQL that `make infra` starts
//! (`PI_TEST_SQS_ENDPOINT`, `PI_TEST_DATABASE_URL`). Service scenarios join here as modules once
//! the service binaries exist (see `e2e/README.md`).

mod case_notes;
mod env;
mod migrate;
mod refer_and_monitor;
mod routing;
mod simulator;
mod workforce;
