use std::io::{Read, Write};

use anyhow::{bail, Context, Result};
use coagent_domain::Summarizer;

use crate::{cli::ModelSettings, engines};

pub fn run(settings: &ModelSettings, quiet: bool) -> Result<()> {
    let mut transcript = String::new();
    std::io::stdin().read_to_string(&mut transcript).context("cannot read the transcript from stdin")?;
    if transcript.trim().is_empty() {
        bail!("no transcript on stdin: pipe the text to summarize, e.g. `coagent transcribe note.wav | coagent summarize`");
    }
    let summarizer = engines::summarizer(settings)?;
    let mut stderr = std::io::stderr();
    let mut echo = |piece: &str| {
        if !quiet {
            let _ = write!(stderr, "{piece}");
        }
    };
    let summary = summarizer.summarize(transcript.trim(), &mut echo)?;
    if !quiet {
        eprintln!();
    }
    println!("{}", serde_json::to_string_pretty(&summary)?);
    Ok(())
}
