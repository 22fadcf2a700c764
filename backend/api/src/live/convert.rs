//! The live stream's wire audio (s16le PCM at the client's rate) to the 16 kHz mono f32 the
//! speech engine takes. Other rates are resampled in whole one-second blocks: resampling each
//! small frame on its own would put an edge artefact every 100 ms.

use coagent_audio::{pcm_s16le_to_f32, resample_mono, AudioError, SAMPLE_RATE};

pub struct PcmTo16k {
    rate: u32,
    /// Input samples waiting for a whole block (empty at 16 kHz).
    waiting: Vec<f32>,
}

impl PcmTo16k {
    pub fn new(rate: u32) -> Self {
        PcmTo16k { rate, waiting: Vec::new() }
    }

    /// Converts one frame; returns the 16 kHz samples ready so far.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<f32>, AudioError> {
        let samples = pcm_s16le_to_f32(bytes)?;
        if self.rate == SAMPLE_RATE {
            return Ok(samples);
        }
        self.waiting.extend_from_slice(&samples);
        let block = self.rate as usize;
        let whole = self.waiting.len() / block * block;
        if whole == 0 {
            return Ok(Vec::new());
        }
        let ready: Vec<f32> = self.waiting.drain(..whole).collect();
        resample_mono(&ready, self.rate, SAMPLE_RATE)
    }

    /// What is left at the end of the stream.
    pub fn flush(&mut self) -> Result<Vec<f32>, AudioError> {
        let rest = std::mem::take(&mut self.waiting);
        resample_mono(&rest, self.rate, SAMPLE_RATE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_16_khz_samples_pass_straight_through() {
        let mut converter = PcmTo16k::new(16_000);
        assert_eq!(converter.push(&[0, 0, 0, 0x40]).unwrap(), vec![0.0, 0.5]);
    }

    #[test]
    fn at_48_khz_three_seconds_in_small_frames_become_three_seconds_at_16_khz() {
        let mut converter = PcmTo16k::new(48_000);
        let frame = vec![0u8; 9_600]; // 100 ms
        let mut total = 0;
        for _ in 0..30 {
            total += converter.push(&frame).unwrap().len();
        }
        total += converter.flush().unwrap().len();
        assert_eq!(total, 48_000);
    }
}
