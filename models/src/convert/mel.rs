//! The mel filterbank whisper.cpp reads from the model file: librosa's `filters.mel(sr=16000,
//! n_fft=400, n_mels=80)` (Slaney mel scale and area normalisation), which is what OpenAI's
//! `mel_filters.npz` holds. Computed in f64 and rounded to f32 at the same two points librosa
//! rounds (it fills a float32 array, then scales it in place), so the values match its output.

pub(crate) const SAMPLE_RATE: f64 = 16_000.0;
pub(crate) const N_FFT: usize = 400;

// Slaney's scale: linear below 1 kHz, logarithmic above.
const F_SP: f64 = 200.0 / 3.0;
const MIN_LOG_HZ: f64 = 1000.0;
const MIN_LOG_MEL: f64 = MIN_LOG_HZ / F_SP;

fn log_step() -> f64 {
    6.4f64.ln() / 27.0
}

fn hz_to_mel(hz: f64) -> f64 {
    if hz >= MIN_LOG_HZ {
        MIN_LOG_MEL + (hz / MIN_LOG_HZ).ln() / log_step()
    } else {
        hz / F_SP
    }
}

fn mel_to_hz(mel: f64) -> f64 {
    if mel >= MIN_LOG_MEL {
        MIN_LOG_HZ * (log_step() * (mel - MIN_LOG_MEL)).exp()
    } else {
        F_SP * mel
    }
}

/// numpy's `linspace`: `start + i * step`, with the last point set to `stop` exactly.
fn linspace(start: f64, stop: f64, n: usize) -> Vec<f64> {
    let step = (stop - start) / (n.saturating_sub(1).max(1)) as f64;
    let mut v: Vec<f64> = (0..n).map(|i| start + i as f64 * step).collect();
    if let Some(last) = v.last_mut() {
        *last = stop;
    }
    v
}

/// `n_mels` rows of `n_fft / 2 + 1` weights, row-major.
pub(crate) fn slaney_filterbank(sample_rate: f64, n_fft: usize, n_mels: usize) -> Vec<f32> {
    let bins = n_fft / 2 + 1;
    let fft_freqs: Vec<f64> = (0..bins).map(|k| k as f64 * sample_rate / n_fft as f64).collect();
    let mel_points = linspace(hz_to_mel(0.0), hz_to_mel(sample_rate / 2.0), n_mels + 2);
    let mel_f: Vec<f64> = mel_points.into_iter().map(mel_to_hz).collect();

    let mut weights = Vec::with_capacity(n_mels * bins);
    for i in 0..n_mels {
        let (lo, mid, hi) = (mel_f[i], mel_f[i + 1], mel_f[i + 2]);
        let enorm = 2.0 / (hi - lo);
        for &f in &fft_freqs {
            let lower = -(lo - f) / (mid - lo);
            let upper = (hi - f) / (hi - mid);
            // np.maximum(0, -0.0) keeps the -0.0 (at [0, 0]); so do we, to stay bit-identical
            // (a plain `m < 0.0` test was compiled into a max that drops the sign).
            let m = lower.min(upper);
            let w = if m.is_sign_negative() && m != 0.0 { 0.0 } else { m as f32 };
            weights.push((f64::from(w) * enorm) as f32);
        }
    }
    weights
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `librosa.filters.mel(sr=16000, n_fft=400, n_mels=80)` as printed by librosa 0.11.0 with
    /// numpy 2.4 (pip-installed once for this purpose): f32 bit patterns at sampled points, and
    /// the SHA-256 of the whole 80 × 201 matrix as little-endian f32 (`m.astype('<f4').tofile`).
    const LIBROSA_POINTS: &[(usize, usize, u32)] = &[
        (0, 0, 0x80000000),    // -0.0
        (0, 1, 0x3ccbaca4),    // 0.02486259
        (1, 2, 0x3cbb5d95),    // 0.02287177
        (5, 6, 0x3c7442b7),    // 0.01490848
        (10, 11, 0x3ba2584f),  // 0.00495437
        (20, 20, 0x3c639489),  // 0.01389039
        (30, 30, 0x3c12d896),  // 0.00896277
        (39, 42, 0x3c254f75),  // 0.01008974
        (40, 43, 0x3c716d72),  // 0.01473556
        (50, 63, 0x3c1b07c5),  // 0.00946230
        (60, 93, 0x3bd7fa18),  // 0.00659109
        (70, 137, 0x3b85af3f), // 0.00407972
        (79, 193, 0x3b4dde7e), // 0.00314131
        (79, 200, 0x00000000), // 0.0
    ];
    const LIBROSA_SHA256: &str = "4f2701b1d287d74a0dc9871026e9519d98cb76426615f2539b0d151a0ae4ec2e";

    #[test]
    fn the_filterbank_is_bit_identical_to_librosa() {
        let f = slaney_filterbank(SAMPLE_RATE, N_FFT, 80);
        assert_eq!(f.len(), 80 * 201);
        for &(row, col, bits) in LIBROSA_POINTS {
            let got = f[row * 201 + col];
            assert_eq!(got.to_bits(), bits, "[{row}, {col}]: {got} vs librosa {}", f32::from_bits(bits));
        }
        let bytes: Vec<u8> = f.iter().flat_map(|v| v.to_le_bytes()).collect();
        assert_eq!(crate::test_support::sha256_hex(&bytes), LIBROSA_SHA256);
    }

    #[test]
    fn every_filter_is_a_nonnegative_triangle_with_some_weight() {
        let f = slaney_filterbank(SAMPLE_RATE, N_FFT, 80);
        for row in f.chunks(201) {
            assert!(row.iter().all(|&w| w >= 0.0));
            assert!(row.iter().any(|&w| w > 0.0));
        }
    }
}
