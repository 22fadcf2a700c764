//! Progress reporting for long steps (hashing, extracting, converting), so the CLI can draw bars
//! while tests and servers stay quiet.

use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};

/// Receives progress of fetch and conversion steps. One step runs at a time.
pub trait Progress: Sync {
    /// A step starts; `total` is its size in bytes when known.
    fn start(&self, step: &str, total: Option<u64>);
    /// `bytes` more of the current step are done.
    fn advance(&self, bytes: u64);
    /// The current step is over.
    fn finish(&self);
    /// A one-line note ("trying source 2 of 3").
    fn note(&self, line: &str);
    /// Whether external tools (pip, curl) may print their own progress to the terminal.
    fn show_tool_output(&self) -> bool {
        false
    }
}

/// Reports nothing: for tests, servers and engines.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Progress for Quiet {
    fn start(&self, _step: &str, _total: Option<u64>) {}
    fn advance(&self, _bytes: u64) {}
    fn finish(&self) {}
    fn note(&self, _line: &str) {}
}

/// Terminal progress bars on stderr (indicatif), for the CLI.
#[derive(Debug, Default)]
pub struct Bars {
    bar: Mutex<Option<ProgressBar>>,
}

impl Bars {
    pub fn new() -> Self {
        Self::default()
    }

    fn with_bar(&self, f: impl FnOnce(&mut Option<ProgressBar>)) {
        // A panic elsewhere must not silence progress: take the bar even from a poisoned lock.
        let mut guard = self.bar.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut guard);
    }
}

impl Progress for Bars {
    fn start(&self, step: &str, total: Option<u64>) {
        self.with_bar(|slot| {
            if let Some(old) = slot.take() {
                old.finish_and_clear();
            }
            let bar = match total {
                Some(total) => {
                    let bar = ProgressBar::new(total);
                    if let Ok(style) = ProgressStyle::with_template("{msg:24} [{bar:32}] {bytes}/{total_bytes} ({eta})")
                    {
                        bar.set_style(style.progress_chars("=> "));
                    }
                    bar
                }
                None => ProgressBar::new_spinner(),
            };
            bar.set_message(step.to_owned());
            *slot = Some(bar);
        });
    }

    fn advance(&self, bytes: u64) {
        self.with_bar(|slot| {
            if let Some(bar) = slot {
                bar.inc(bytes);
            }
        });
    }

    fn finish(&self) {
        self.with_bar(|slot| {
            if let Some(bar) = slot.take() {
                bar.finish();
            }
        });
    }

    fn note(&self, line: &str) {
        self.with_bar(|slot| match slot {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        });
    }

    fn show_tool_output(&self) -> bool {
        true
    }
}
