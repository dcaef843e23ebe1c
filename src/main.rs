//! Entry point: parse the command line and dispatch.

use std::process::ExitCode;

use claimdesk::cli::{self, Cli};
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(command) => cli::run(&cli, command, &mut std::io::stdout().lock()),
        None => cli::desk(&cli),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            // Messages quote file content (ids, names, paths): nothing in
            // them may act on the terminal.
            for line in f.message.lines() {
                eprintln!("claimdesk: {}", claimdesk::text::sanitize(line));
            }
            ExitCode::from(u8::try_from(f.code).unwrap_or(1))
        }
    }
}
