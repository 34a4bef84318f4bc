//! Writes a tiny GGUF model with random weights: llama architecture, a
//! SentencePiece vocabulary of byte tokens and a few pieces, two layers.
//!
//! It loads in llama.cpp like any model, so the tests exercise loading,
//! tokenisation, the grammar and JSON validity without a download. Its
//! answers are noise, which is the point: only the grammar keeps them valid.

use std::io::Write as _;
use std::path::Path;

/// Shape and metadata of a tiny model.
pub struct TinyModel {
    /// Training context length written in the metadata.
    pub context_length: u32,
    /// `tokenizer.chat_template`, when set.
    pub chat_template: Option<String>,
    /// Seed of the random weights.
    pub seed: u64,
}

impl Default for TinyModel {
    fn default() -> Self {
        Self {
            context_length: 16_384,
            chat_template: None,
            seed: 7,
        }
    }
}

const EMBEDDING: u64 = 64;
const FEED_FORWARD: u64 = 128;
const HEADS: u32 = 4;
const LAYERS: u32 = 2;
const ALIGNMENT: usize = 32;

/// Pieces added after the byte tokens, so that some tokens span several
/// characters of the JSON answer.
const PIECES: &[&str] = &[
    "\u{2581}",
    "{\"",
    "intent",
    "slots",
    "\":\"",
    "\",\"",
    "\":{",
    "}}",
    "none",
    "cost",
    ".",
    "\u{2581}de",
    "\u{2581}le",
    "\u{2581}la",
    "ation",
    "medic",
    "care",
    "help",
    "e",
    "a",
    "i",
    "o",
];

enum Value {
    U32(u32),
    F32(f32),
    Str(String),
    Strings(Vec<String>),
    F32s(Vec<f32>),
    I32s(Vec<i32>),
}

impl TinyModel {
    /// Writes the model to `path`.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let mut tokens = vec!["<unk>".to_owned(), "<s>".to_owned(), "</s>".to_owned()];
        let mut types = vec![2, 3, 3];
        for byte in 0..=255u8 {
            tokens.push(format!("<0x{byte:02X}>"));
            types.push(6);
        }
        for piece in PIECES {
            tokens.push((*piece).to_owned());
            types.push(1);
        }
        let scores: Vec<f32> = tokens
            .iter()
            .enumerate()
            .map(|(index, token)| {
                if index < 259 {
                    0.0
                } else {
                    -(token.chars().count() as f32).recip()
                }
            })
            .collect();
        let vocabulary = tokens.len() as u64;

        let mut metadata = vec![
            ("general.architecture", Value::Str("llama".to_owned())),
            ("general.name", Value::Str("mediflux-tiny-test".to_owned())),
            ("llama.context_length", Value::U32(self.context_length)),
            ("llama.embedding_length", Value::U32(EMBEDDING as u32)),
            ("llama.block_count", Value::U32(LAYERS)),
            ("llama.feed_forward_length", Value::U32(FEED_FORWARD as u32)),
            ("llama.attention.head_count", Value::U32(HEADS)),
            ("llama.attention.head_count_kv", Value::U32(HEADS)),
            (
                "llama.rope.dimension_count",
                Value::U32(EMBEDDING as u32 / HEADS),
            ),
            ("llama.attention.layer_norm_rms_epsilon", Value::F32(1e-5)),
            ("tokenizer.ggml.model", Value::Str("llama".to_owned())),
            ("tokenizer.ggml.tokens", Value::Strings(tokens)),
            ("tokenizer.ggml.scores", Value::F32s(scores)),
            ("tokenizer.ggml.token_type", Value::I32s(types)),
            ("tokenizer.ggml.unknown_token_id", Value::U32(0)),
            ("tokenizer.ggml.bos_token_id", Value::U32(1)),
            ("tokenizer.ggml.eos_token_id", Value::U32(2)),
        ];
        if let Some(template) = &self.chat_template {
            metadata.push(("tokenizer.chat_template", Value::Str(template.clone())));
        }

        let mut tensors: Vec<(String, Vec<u64>, bool)> = vec![
            (
                "token_embd.weight".to_owned(),
                vec![EMBEDDING, vocabulary],
                false,
            ),
            ("output_norm.weight".to_owned(), vec![EMBEDDING], true),
            (
                "output.weight".to_owned(),
                vec![EMBEDDING, vocabulary],
                false,
            ),
        ];
        for layer in 0..LAYERS {
            let name = |part: &str| format!("blk.{layer}.{part}.weight");
            tensors.push((name("attn_norm"), vec![EMBEDDING], true));
            for part in ["attn_q", "attn_k", "attn_v", "attn_output"] {
                tensors.push((name(part), vec![EMBEDDING, EMBEDDING], false));
            }
            tensors.push((name("ffn_norm"), vec![EMBEDDING], true));
            tensors.push((name("ffn_gate"), vec![EMBEDDING, FEED_FORWARD], false));
            tensors.push((name("ffn_up"), vec![EMBEDDING, FEED_FORWARD], false));
            tensors.push((name("ffn_down"), vec![FEED_FORWARD, EMBEDDING], false));
        }

        let mut out = Vec::new();
        out.extend_from_slice(b"GGUF");
        out.extend_from_slice(&3u32.to_le_bytes());
        out.extend_from_slice(&(tensors.len() as u64).to_le_bytes());
        out.extend_from_slice(&(metadata.len() as u64).to_le_bytes());
        for (key, value) in &metadata {
            write_string(&mut out, key);
            write_value(&mut out, value);
        }

        let mut offset = 0u64;
        for (name, dims, _) in &tensors {
            write_string(&mut out, name);
            out.extend_from_slice(&(dims.len() as u32).to_le_bytes());
            for dim in dims {
                out.extend_from_slice(&dim.to_le_bytes());
            }
            out.extend_from_slice(&0u32.to_le_bytes()); // GGML_TYPE_F32
            out.extend_from_slice(&offset.to_le_bytes());
            let bytes = dims.iter().product::<u64>() * 4;
            offset += bytes.div_ceil(ALIGNMENT as u64) * ALIGNMENT as u64;
        }
        pad(&mut out);

        let mut random = self.seed.max(1);
        for (_, dims, is_norm) in &tensors {
            let count = dims.iter().product::<u64>();
            for _ in 0..count {
                let value = if *is_norm {
                    1.0f32
                } else {
                    // xorshift64, mapped to [-0.5, 0.5).
                    random ^= random << 13;
                    random ^= random >> 7;
                    random ^= random << 17;
                    (random >> 40) as f32 / (1u64 << 24) as f32 - 0.5
                };
                out.extend_from_slice(&value.to_le_bytes());
            }
            pad(&mut out);
        }

        std::fs::File::create(path)?.write_all(&out)
    }
}

fn pad(out: &mut Vec<u8>) {
    while !out.len().is_multiple_of(ALIGNMENT) {
        out.push(0);
    }
}

fn write_string(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(&(text.len() as u64).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
}

fn write_value(out: &mut Vec<u8>, value: &Value) {
    const UINT32: u32 = 4;
    const INT32: u32 = 5;
    const FLOAT32: u32 = 6;
    const STRING: u32 = 8;
    const ARRAY: u32 = 9;

    match value {
        Value::U32(number) => {
            out.extend_from_slice(&UINT32.to_le_bytes());
            out.extend_from_slice(&number.to_le_bytes());
        }
        Value::F32(number) => {
            out.extend_from_slice(&FLOAT32.to_le_bytes());
            out.extend_from_slice(&number.to_le_bytes());
        }
        Value::Str(text) => {
            out.extend_from_slice(&STRING.to_le_bytes());
            write_string(out, text);
        }
        Value::Strings(items) => {
            out.extend_from_slice(&ARRAY.to_le_bytes());
            out.extend_from_slice(&STRING.to_le_bytes());
            out.extend_from_slice(&(items.len() as u64).to_le_bytes());
            for item in items {
                write_string(out, item);
            }
        }
        Value::F32s(items) => {
            out.extend_from_slice(&ARRAY.to_le_bytes());
            out.extend_from_slice(&FLOAT32.to_le_bytes());
            out.extend_from_slice(&(items.len() as u64).to_le_bytes());
            for item in items {
                out.extend_from_slice(&item.to_le_bytes());
            }
        }
        Value::I32s(items) => {
            out.extend_from_slice(&ARRAY.to_le_bytes());
            out.extend_from_slice(&INT32.to_le_bytes());
            out.extend_from_slice(&(items.len() as u64).to_le_bytes());
            for item in items {
                out.extend_from_slice(&item.to_le_bytes());
            }
        }
    }
}
