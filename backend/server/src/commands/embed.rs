use std::io::BufRead;

use anyhow::{Context, Result};
use coagent_domain::Embedder;

use crate::{cli::ModelSettings, engines};

/// Lines are embedded in batches so a long input streams out instead of waiting for the end.
const BATCH: usize = 32;

pub fn run(settings: &ModelSettings) -> Result<()> {
    let embedder = engines::embedder(settings)?;
    let mut batch = Vec::with_capacity(BATCH);
    for line in std::io::stdin().lock().lines() {
        let line = line.context("cannot read stdin")?;
        if line.trim().is_empty() {
            continue;
        }
        batch.push(line);
        if batch.len() == BATCH {
            print_batch(&embedder, &mut batch)?;
        }
    }
    print_batch(&embedder, &mut batch)
}

fn print_batch(embedder: &impl Embedder, batch: &mut Vec<String>) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let texts: Vec<&str> = batch.iter().map(String::as_str).collect();
    for (text, vector) in texts.iter().zip(embedder.embed(&texts)?) {
        println!("{}", serde_json::json!({ "text": text, "vector": vector }));
    }
    batch.clear();
    Ok(())
}
