//! Hourly AQI throughput: one million station-hours through `hj633_hourly` and `us_epa_hourly`,
//! single-threaded. Budget (issue): < 0.5 s per million on one core.
//!
//! Inputs are deterministic pseudo-random concentrations spanning clean air to severe haze, with
//! about 1 % of hours missing a pollutant and about 1 % with SO₂ 1 h above 800 µg/m³, so the
//! error and fallback paths are timed too.

use daylight_domain::aqi::{hj633_hourly, us_epa_hourly, AqiReport, HourlyConcentrations, NoAqi};
use daylight_domain::parameter::Parameter;
use std::hint::black_box;
use std::time::{Duration, Instant};

const N: usize = 1_000_000;

/// xorshift64* — enough variety for a benchmark, no dependency.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Skewed towards low values, like real concentrations: `max × u³` (mean max / 4).
    fn conc(&mut self, max: f64, decimals: i32) -> f64 {
        let u = self.unit();
        let p = 10f64.powi(decimals);
        (max * u * u * u * p).round() / p
    }
}

fn inputs() -> Vec<HourlyConcentrations> {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    (0..N)
        .map(|_| {
            let so2 = if rng.unit() < 0.01 {
                800.0 + rng.conc(1200.0, 0)
            } else {
                rng.conc(300.0, 0)
            };
            let mut c = HourlyConcentrations::from_readings([
                (Parameter::So2, so2),
                (Parameter::So2_24h, rng.conc(900.0, 0)),
                (Parameter::No2, rng.conc(400.0, 0)),
                (Parameter::Co, rng.conc(12.0, 1)),
                (Parameter::O3, rng.conc(450.0, 0)),
                (Parameter::O3_8h, rng.conc(350.0, 0)),
                (Parameter::Pm10, rng.conc(650.0, 0)),
                (Parameter::Pm25, rng.conc(450.0, 0)),
                (Parameter::Pm10_24h, rng.conc(500.0, 0)),
                (Parameter::Pm25_24h, rng.conc(350.0, 0)),
            ]);
            if rng.unit() < 0.01 {
                c.pm10_1h = None;
            }
            c
        })
        .collect()
}

fn run(
    label: &str,
    data: &[HourlyConcentrations],
    f: fn(&HourlyConcentrations) -> Result<AqiReport, NoAqi>,
) -> Duration {
    let start = Instant::now();
    let mut ok = 0usize;
    let mut sum = 0u64;
    for c in data {
        if let Ok(r) = f(black_box(c)) {
            ok += 1;
            sum += u64::from(r.aqi);
        }
        black_box(&sum);
    }
    let elapsed = start.elapsed();
    let secs = elapsed.as_secs_f64();
    println!(
        "{label} hourly AQI: {} station-hours in {secs:.3} s ({:.1} M/s; {ok} with an AQI, mean {:.1})",
        data.len(),
        data.len() as f64 / secs / 1e6,
        sum as f64 / ok.max(1) as f64,
    );
    elapsed
}

fn main() {
    let data = inputs();
    // Warm caches and the branch predictor on a slice first.
    black_box(run("warm-up hj633", &data[..10_000], hj633_hourly));
    let hj = run("hj633", &data, hj633_hourly);
    let us = run("us-epa", &data, us_epa_hourly);
    let budget = Duration::from_millis(500);
    for (label, t) in [("hj633", hj), ("us-epa", us)] {
        let verdict = if t < budget { "within" } else { "OVER" };
        println!("{label}: {verdict} the 0.5 s budget");
    }
}
