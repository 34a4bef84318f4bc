//! Time from a question to a validated intent with Gemma 3 270M (Q4_K_M),
//! with the prompt prefix cached in the KV cache and without it.
//!
//! A bench binary rather than criterion: one sample takes from a tenth of a
//! second to several seconds, so it runs a fixed number of rounds and
//! prints medians of both modes measured in the same run.
//!
//! ```text
//! scripts/fetch-test-model
//! cargo bench -p mediflux-model --bench model
//! ```
//!
//! `MEDIFLUX_TEST_MODEL` names another GGUF file; `MEDIFLUX_BENCH_THREADS`
//! sets the thread count (default 2); `MEDIFLUX_BENCH_ROUNDS` the rounds
//! (default 3).

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::PathBuf;
use std::time::Duration;

use mediflux_model::{IntentModel, LocalModel, ModelConfig};

/// Questions that the rules leave open, so the model decides them.
const QUESTIONS: &[&str] = &[
    "Je voudrais connaître ma part à payer pour voir un dermato",
    "Qui peut me soigner les dents près de Bordeaux ?",
    "Ma sœur attend un bébé, quels rendez-vous l'attendent ?",
    "J'ai reçu un papier de la CPAM, tu peux y jeter un œil ?",
    "le Kardégic, c'est pour quoi ?",
    "quelle est la capitale de l'Australie",
];

fn main() {
    let path = std::env::var_os("MEDIFLUX_TEST_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/mediflux/models/gemma-3-270m-q4_k_m.gguf")
        });
    if !path.is_file() {
        eprintln!(
            "model {} is missing; run scripts/fetch-test-model",
            path.display()
        );
        std::process::exit(1);
    }
    let threads = env_number("MEDIFLUX_BENCH_THREADS", 2);
    let rounds = env_number("MEDIFLUX_BENCH_ROUNDS", 3);

    let (router, catalog) = support::router_and_catalog();
    let load = |cache_prefix: bool| {
        let config = ModelConfig {
            threads: threads as u32,
            cache_prefix,
            ..ModelConfig::new(&path)
        };
        LocalModel::load(config, catalog.clone(), support::annotator(&router)).expect("model loads")
    };
    let mut cached = load(true);
    let mut uncached = load(false);

    // Warm-up: the first call of each decodes the prefix and touches the weights.
    cached.decide(QUESTIONS[0]).expect("warm-up answer");
    uncached.decide(QUESTIONS[0]).expect("warm-up answer");

    let mut with_cache = Vec::new();
    let mut without_cache = Vec::new();
    let mut prefix_decode = Vec::new();
    let mut generated = Vec::new();
    for _ in 0..rounds {
        for question in QUESTIONS {
            cached.decide(question).expect("valid answer");
            with_cache.push(cached.timings().total);
            generated.push(cached.timings().generated_tokens);

            uncached.decide(question).expect("valid answer");
            without_cache.push(uncached.timings().total);
            prefix_decode.push(uncached.timings().prefix);
        }
    }

    let cached_median = median(&mut with_cache);
    let uncached_median = median(&mut without_cache);
    println!("model            {}", path.display());
    println!("threads          {threads}");
    println!("prefix tokens    {}", cached.timings().prefix_tokens);
    println!("samples per mode {}", with_cache.len());
    println!("generated tokens median {}", median_usize(&mut generated));
    println!(
        "with cached prefix     median {:>8.1} ms  p90 {:>8.1} ms",
        ms(cached_median),
        ms(percentile(&mut with_cache, 0.9))
    );
    println!(
        "without cached prefix  median {:>8.1} ms  p90 {:>8.1} ms",
        ms(uncached_median),
        ms(percentile(&mut without_cache, 0.9))
    );
    println!(
        "prefix decode          median {:>8.1} ms",
        ms(median(&mut prefix_decode))
    );
    println!(
        "ratio without/with     {:.2}",
        uncached_median.as_secs_f64() / cached_median.as_secs_f64()
    );
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn median(samples: &mut [Duration]) -> Duration {
    percentile(samples, 0.5)
}

fn percentile(samples: &mut [Duration], quantile: f64) -> Duration {
    samples.sort_unstable();
    let index = ((samples.len() - 1) as f64 * quantile).round() as usize;
    samples[index]
}

fn median_usize(samples: &mut [usize]) -> usize {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
