use crate::cli::{Cli, Failure};
pub fn run(_cli: &Cli) -> Result<(), Failure> {
    Ok(())
}
