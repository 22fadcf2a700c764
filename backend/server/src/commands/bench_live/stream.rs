//! One bench stream: a live dictation over `GET /api/v1/live` exactly as the PWA makes one
//! (start, 100 ms frames of 16 kHz PCM at the pace of speech, stop), timing every partial
//! and the card.

use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{json, Value};
use tokio::time::{sleep_until, timeout, Instant};
use tokio_tungstenite::tungstenite::{client::IntoClientRequest as _, Message};

use super::stats::{frame_due, Outcome, FRAME};

/// Past this after `stop` without a card, the stream counts as failed (`timeout`).
const CARD_TIMEOUT: Duration = Duration::from_secs(600);
/// For connecting and for the `ready` answer to `start`.
const OPEN_TIMEOUT: Duration = Duration::from_secs(30);

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// What every stream says: 16 kHz mono 16-bit little-endian PCM, and how long it lasts.
pub struct Speech {
    pub pcm: Vec<u8>,
    pub duration: Duration,
}

impl Speech {
    pub fn from_samples(samples_16k: &[f32]) -> Self {
        let pcm = samples_16k.iter().flat_map(|sample| ((sample.clamp(-1.0, 1.0) * 32767.0) as i16).to_le_bytes());
        let pcm: Vec<u8> = pcm.collect();
        let duration = Duration::from_secs_f64(samples_16k.len() as f64 / 16_000.0);
        Speech { pcm, duration }
    }

    fn frames(&self) -> std::slice::Chunks<'_, u8> {
        // 16 000 samples/s × 2 bytes × one frame's length.
        self.pcm.chunks((32_000.0 * FRAME.as_secs_f64()) as usize)
    }
}

/// Dictates `speech` once to the live socket at `url` as the member `token` belongs to.
pub async fn dictate(url: &str, token: &str, speech: &Speech) -> Outcome {
    let mut outcome = Outcome::default();
    if let Err(code) = run(url, token, speech, &mut outcome).await {
        outcome.error = Some(code);
    }
    outcome
}

/// `Err` carries the server's error code, or a short word for what failed on this side.
async fn run(url: &str, token: &str, speech: &Speech, outcome: &mut Outcome) -> Result<(), String> {
    let mut request = url.into_client_request().map_err(|error| client_error("connect", error))?;
    let bearer = format!("Bearer {token}").parse().map_err(|error| client_error("connect", error))?;
    request.headers_mut().insert("authorization", bearer);
    let (mut socket, _) = timeout(OPEN_TIMEOUT, tokio_tungstenite::connect_async(request))
        .await
        .map_err(|_| "timeout".to_owned())?
        .map_err(|error| client_error("connect", error))?;
    send(&mut socket, json!({"type": "start", "purpose": "ask", "sample_rate": 16_000})).await?;
    let ready = timeout(OPEN_TIMEOUT, receive(&mut socket)).await.map_err(|_| "timeout".to_owned())??;
    if ready["type"] != "ready" {
        return Err(server_error(&ready));
    }

    // The speaker starts now; frame k is sent once its audio has been spoken.
    let speech_start = Instant::now();
    let frames: Vec<&[u8]> = speech.frames().collect();
    let mut sent = 0;
    let mut stopped: Option<Instant> = None;
    let next_frame = sleep_until(speech_start + frame_due(0, speech.duration));
    tokio::pin!(next_frame);
    loop {
        let card_deadline = stopped.unwrap_or(speech_start) + CARD_TIMEOUT;
        tokio::select! {
            () = &mut next_frame, if stopped.is_none() => {
                let frame = frames.get(sent).copied().unwrap_or_default();
                socket.send(Message::Binary(frame.to_vec().into())).await.map_err(|error| client_error("closed", error))?;
                sent += 1;
                if sent >= frames.len() {
                    send(&mut socket, json!({"type": "stop"})).await?;
                    stopped = Some(Instant::now());
                    outcome.stopped = true;
                } else {
                    next_frame.as_mut().reset(speech_start + frame_due(sent, speech.duration));
                }
            }
            message = receive(&mut socket) => {
                let message = message?;
                match message["type"].as_str().unwrap_or_default() {
                    "partial" => {
                        let audio_ms = message["audio_ms"].as_u64().ok_or_else(|| "no_audio_ms".to_owned())?;
                        let behind = speech_start.elapsed().as_secs_f64() - audio_ms as f64 / 1000.0;
                        outcome.partial_lags.push(behind);
                    }
                    "transcript" => outcome.transcript_latency = stopped.map(|stopped| stopped.elapsed()),
                    "card" => outcome.card_latency = stopped.map(|stopped| stopped.elapsed()),
                    "done" if outcome.card_latency.is_some() => break,
                    "done" => return Err("no_card".to_owned()),
                    "error" => return Err(server_error(&message)),
                    _ => {}
                }
            }
            () = sleep_until(card_deadline), if stopped.is_some() => return Err("timeout".to_owned()),
        }
    }
    let _ = socket.close(None).await;
    Ok(())
}

async fn send(socket: &mut Socket, message: Value) -> Result<(), String> {
    socket.send(Message::Text(message.to_string().into())).await.map_err(|error| client_error("closed", error))
}

/// The next text message, as JSON.
async fn receive(socket: &mut Socket) -> Result<Value, String> {
    loop {
        match socket.next().await {
            Some(Ok(Message::Text(text))) => {
                return serde_json::from_str(text.as_str()).map_err(|error| client_error("invalid_json", error))
            }
            Some(Ok(Message::Close(_))) | None => return Err("closed".to_owned()),
            Some(Err(error)) => return Err(client_error("closed", error)),
            Some(Ok(_)) => {}
        }
    }
}

fn server_error(message: &Value) -> String {
    let code = message["code"].as_str().unwrap_or("unexpected_message");
    if code != "busy" {
        tracing::warn!(%message, "a bench stream failed");
    }
    code.to_owned()
}

fn client_error(code: &str, error: impl std::fmt::Display) -> String {
    tracing::warn!(%error, "a bench stream failed: {code}");
    code.to_owned()
}
