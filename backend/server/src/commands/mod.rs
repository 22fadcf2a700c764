//! One module per subcommand.

mod bench;
mod bench_live;
mod embed;
mod invite;
mod models;
mod serve;
mod summarize;
mod transcribe;

use anyhow::Result;

use crate::cli::{BenchCommand, Cli, Command};

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Models(command) => models::run(&cli.models, command),
        Command::Transcribe { file, json } => transcribe::run(&cli.models, &file, json),
        Command::Summarize { quiet } => summarize::run(&cli.models, quiet),
        Command::Embed => embed::run(&cli.models),
        Command::Bench(args) => match args.command {
            Some(BenchCommand::Live(live)) => bench_live::run(&cli.models, &live),
            None => bench::run(&cli.models, &args.engines),
        },
        Command::Serve => serve::run(&cli.models),
        Command::Invite(args) => invite::run(&args),
    }
}
