//! The command line: every subcommand, its flags and their environment variables.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// coagent: speak a business problem, get help from the right peers.
#[derive(Debug, Parser)]
#[command(name = "coagent", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub models: ModelSettings,
    /// Log what happens (RUST_LOG overrides).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// Where models live and which ones each engine uses.
#[derive(Debug, Args)]
pub struct ModelSettings {
    /// Model cache directory [default: ~/.cache/coagent/models]
    #[arg(long, global = true, env = "COAGENT_MODELS_DIR", value_name = "DIR")]
    pub models_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch, verify and list the local models.
    #[command(subcommand)]
    Models(ModelsCommand),
    /// Transcribe an audio file (WAV, M4A/AAC, Ogg or WebM Opus, MP3, FLAC) and print the text.
    Transcribe {
        /// The audio file to transcribe.
        file: PathBuf,
        /// Print JSON with timed segments instead of plain text.
        #[arg(long)]
        json: bool,
    },
    /// Read a transcript on stdin and print its problem card as JSON.
    Summarize {
        /// Do not echo the model's tokens to stderr while it writes.
        #[arg(long)]
        quiet: bool,
    },
    /// Read one text per line on stdin and print one JSON embedding per line.
    Embed,
    /// Measure the engines on this machine and print a Markdown table (`bench live`: the server under load).
    Bench(BenchArgs),
    /// Serve the API, live dictation and the PWA (settings: COAGENT_* variables, see .env.example).
    Serve,
    /// Create a single-use invite and print its link.
    Invite(InviteArgs),
}

#[derive(Debug, Args)]
pub struct InviteArgs {
    /// The role the new member gets.
    #[arg(long, value_enum)]
    pub role: InviteRole,
    /// The new member's name.
    #[arg(long)]
    pub name: String,
    /// Print `{"code": "...", "link": "..."}` instead of a sentence.
    #[arg(long)]
    pub json: bool,
    /// How long the invite stays valid.
    #[arg(long, default_value_t = coagent_api::INVITE_VALID_HOURS, value_name = "HOURS")]
    pub valid_hours: u64,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum InviteRole {
    Manager,
    Concierge,
}

#[derive(Debug, Subcommand)]
pub enum ModelsCommand {
    /// Download, convert and verify models into the cache (does nothing if already there).
    Fetch {
        /// Model ids to fetch [default: the model selected for each role].
        #[arg(value_name = "MODEL_ID")]
        models: Vec<String>,
        /// Fetch every model in the manifest, including the large optional ones.
        #[arg(long, conflicts_with = "models")]
        all: bool,
    },
    /// List the models in the manifest and whether each is installed.
    List,
}

/// `coagent bench` alone measures the engines; `coagent bench live` loads the live WebSocket.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub command: Option<BenchCommand>,
    #[command(flatten)]
    pub engines: EngineBenchArgs,
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Open N concurrent live dictations at real-time pace and print a Markdown table of streams
    /// held, partial-text lag and end-of-speech-to-card latency.
    Live(LiveBenchArgs),
}

#[derive(Debug, Args)]
pub struct EngineBenchArgs {
    /// The JFK sample (11 s, 16 kHz mono).
    #[arg(long, default_value = "tests/fixtures/jfk.wav")]
    pub jfk: PathBuf,
    /// Repetitions per measurement; the median is reported.
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
}

#[derive(Debug, Args)]
pub struct LiveBenchArgs {
    /// Concurrent stream counts, one table row (and one round) each.
    #[arg(long, value_delimiter = ',', default_value = "1,4,16,64", value_name = "N,N,...")]
    pub streams: Vec<usize>,
    /// The speech every stream dictates (any WAV; sent as 16 kHz 16-bit PCM in 100 ms frames).
    #[arg(long, default_value = "tests/fixtures/jfk.wav")]
    pub wav: PathBuf,
    /// Load a running server (http:// or ws://, no TLS) instead of one started in this process
    /// with the real engines, a temporary data directory and SQLite.
    #[arg(long, value_name = "URL", requires = "token")]
    pub url: Option<String>,
    /// Bearer token every stream uses with --url (`coagent invite --json`, then
    /// POST /api/v1/sessions with the code).
    #[arg(long, env = "COAGENT_BENCH_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
}
