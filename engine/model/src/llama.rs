//! The local model, run through llama.cpp (crate `llama-cpp-2`).
//!
//! One GGUF file is loaded once per process and shared by every
//! [`LocalModel`] built on it. Each `LocalModel` owns a llama.cpp context
//! whose KV cache keeps the decoded prompt prefix between questions.
//!
//! Decoding is greedy under the routing grammar. The loop never calls
//! `LlamaSampler::sample`, which accepts the token it returns: it applies the
//! grammar to the logits itself, picks the best allowed token and accepts
//! it exactly once, because accepting a token twice makes llama.cpp abort
//! the whole process.

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::{LlamaChatMessage, LlamaModel};
use llama_cpp_2::sampling::LlamaSampler;
use llama_cpp_2::token::LlamaToken;
use llama_cpp_2::token::data::LlamaTokenData;
use llama_cpp_2::token::data_array::LlamaTokenDataArray;

use crate::cascade::IntentModel;
use crate::catalog::Catalog;
use crate::error::ModelError;
use crate::grammar;
use crate::output::{ModelOutput, parse_output};
use crate::prompt::{ChatFormat, Prompt, QUESTION_MARKER, clean_question, instructions};

/// Maximum number of question tokens given to the model; a longer question
/// is cut.
const MAX_QUESTION_TOKENS: usize = 192;

/// Tokens decoded per llama.cpp batch when decoding the prefix.
const BATCH_TOKENS: usize = 512;

/// Candidates tried, best first, before the grammar is applied to the whole
/// vocabulary once the intent is chosen.
const FAST_PATH_CANDIDATES: usize = 32;

/// Settings of the local model.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelConfig {
    /// Path of the GGUF file.
    pub path: PathBuf,
    /// CPU threads llama.cpp uses for decoding.
    pub threads: u32,
    /// Maximum number of tokens of one answer. `None` takes the grammar's
    /// bound on the answer's length, which a greedy decode always stays
    /// within; a lower limit can stop a slow model earlier, with an error.
    pub max_tokens: Option<usize>,
    /// Whether the prompt prefix stays in the KV cache between questions.
    /// Turned off only to measure what the cache saves.
    pub cache_prefix: bool,
}

impl ModelConfig {
    /// Default settings for the model at `path`: one thread per available
    /// core up to 8, answers bounded by the grammar, prefix cached.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |cores| cores.get());
        Self {
            path: path.into(),
            threads: u32::try_from(cores.min(8)).unwrap_or(1),
            max_tokens: None,
            cache_prefix: true,
        }
    }
}

/// Counts and durations of the last question, for benchmarks and logs.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    /// Tokens of the prompt prefix.
    pub prefix_tokens: usize,
    /// Whether the prefix was decoded for this question (not taken from the cache).
    pub prefix_decoded: bool,
    /// Time spent decoding the prefix for this question (zero when cached).
    pub prefix: Duration,
    /// Tokens of the question and the template's closing part.
    pub question_tokens: usize,
    /// Tokens generated.
    pub generated_tokens: usize,
    /// Time from the question to the validated answer, prefix included.
    pub total: Duration,
}

/// A GGUF model ready to route questions, with its context and prompt.
pub struct LocalModel {
    model: &'static LlamaModel,
    context: LlamaContext<'static>,
    grammar: LlamaSampler,
    catalog: Catalog,
    prompt: Prompt,
    prefix_tokens: Vec<LlamaToken>,
    suffix_tokens: Vec<LlamaToken>,
    prefix_cached: bool,
    max_tokens: usize,
    config: ModelConfig,
    timings: Timings,
}

impl std::fmt::Debug for LocalModel {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("LocalModel")
            .field("path", &self.config.path)
            .field("prefix_tokens", &self.prefix_tokens.len())
            .field("format", &self.prompt.format)
            .finish_non_exhaustive()
    }
}

impl LocalModel {
    /// Loads the model named by `config` (once per process and path), lays
    /// out the prompt for `catalog` with the model's chat template, and
    /// checks the grammar.
    ///
    /// `annotate` returns the slots of an example question; the prompt's
    /// examples show them.
    pub fn load(
        config: ModelConfig,
        catalog: Catalog,
        annotate: impl Fn(&str) -> BTreeMap<String, String>,
    ) -> Result<Self, ModelError> {
        if config.threads == 0 || config.threads > 256 {
            return Err(ModelError::InvalidThreads(config.threads));
        }
        let started = Instant::now();
        let model = shared_model(&config.path)?;

        let prompt = prompt_for(model, &catalog, annotate);
        let prefix_tokens = tokenize_prefix(model, &prompt.prefix);
        let suffix_tokens = model
            .vocab()
            .tokenize(prompt.suffix.as_bytes(), false, true);

        let gbnf = grammar::gbnf(&catalog);
        let grammar = LlamaSampler::grammar(model, &gbnf, grammar::ROOT)
            .map_err(|error| ModelError::Grammar(error.to_string()))?;
        let bound = grammar::max_output_bytes(&catalog) + 1;
        let max_tokens = config.max_tokens.map_or(bound, |limit| limit.min(bound));

        let needed =
            prefix_tokens.len() + MAX_QUESTION_TOKENS + suffix_tokens.len() + max_tokens + 1;
        let available = usize::try_from(model.n_ctx_train()).unwrap_or(usize::MAX);
        if needed > available {
            return Err(ModelError::PromptTooLong { needed, available });
        }
        let threads = i32::try_from(config.threads).unwrap_or(1);
        let params = LlamaContextParams::default()
            .with_n_ctx(NonZeroU32::new(u32::try_from(needed).unwrap_or(u32::MAX)))
            .with_n_batch(u32::try_from(BATCH_TOKENS).unwrap_or(512))
            .with_n_ubatch(u32::try_from(BATCH_TOKENS).unwrap_or(512))
            .with_n_threads(threads)
            .with_n_threads_batch(threads);
        let context = model
            .new_context(backend()?, params)
            .map_err(|error| load_error(&config.path, &error))?;

        tracing::info!(
            prefix_tokens = prefix_tokens.len(),
            intents = catalog.intents().len(),
            threads,
            template = matches!(prompt.format, ChatFormat::Template(_)),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "local model ready"
        );
        Ok(Self {
            model,
            context,
            grammar,
            catalog,
            prompt,
            prefix_tokens,
            suffix_tokens,
            prefix_cached: false,
            max_tokens,
            config,
            timings: Timings::default(),
        })
    }

    /// The prompt the model is given, split around the question.
    pub fn prompt(&self) -> &Prompt {
        &self.prompt
    }

    /// The GBNF grammar constraining the answers.
    pub fn grammar(&self) -> String {
        grammar::gbnf(&self.catalog)
    }

    /// Counts and durations of the last question.
    pub fn timings(&self) -> Timings {
        self.timings
    }

    /// Forgets the cached prefix, so that the next question decodes it again.
    pub fn clear_cache(&mut self) {
        self.context.clear_kv_cache();
        self.prefix_cached = false;
    }

    /// Generates the raw answer bytes for `question`, with the probability
    /// the model gave its choice of intent; [`IntentModel::decide`] adds
    /// the validation.
    pub fn generate(&mut self, question: &str) -> Result<(Vec<u8>, f32), ModelError> {
        let started = Instant::now();
        let mut timings = Timings {
            prefix_tokens: self.prefix_tokens.len(),
            ..Timings::default()
        };

        if self.prefix_cached && self.config.cache_prefix {
            self.context
                .kv_cache_seq_rm(
                    0,
                    Some(position(self.prefix_tokens.len())?.unsigned_abs()),
                    None,
                )
                .map_err(inference)?;
        } else {
            let prefix_started = Instant::now();
            self.context.clear_kv_cache();
            self.prefix_cached = false;
            let tokens = self.prefix_tokens.clone();
            self.decode(&tokens, 0)?;
            self.prefix_cached = true;
            timings.prefix_decoded = true;
            timings.prefix = prefix_started.elapsed();
        }

        let question = clean_question(question);
        let mut tokens = self
            .model
            .vocab()
            .tokenize(question.as_bytes(), false, false);
        tokens.truncate(MAX_QUESTION_TOKENS);
        tokens.extend_from_slice(&self.suffix_tokens);
        timings.question_tokens = tokens.len();
        let mut next = self.prefix_tokens.len();
        let mut logits_at = self.decode(&tokens, next)?;
        next += tokens.len();

        self.grammar.reset();
        let mut answer = Vec::new();
        let mut probability = 1.0_f32;
        let mut intent_chosen = false;
        loop {
            if timings.generated_tokens >= self.max_tokens {
                return Err(ModelError::Incomplete {
                    tokens: timings.generated_tokens,
                });
            }
            let (token, chosen_probability) = if intent_chosen {
                (self.pick_fast(logits_at, &answer)?, 1.0)
            } else {
                self.pick_scored(logits_at, &answer)?
            };
            if self.model.vocab().is_eog(token) {
                break;
            }
            self.grammar.accept(token);
            timings.generated_tokens += 1;
            answer.extend(self.model.vocab().token_to_piece(token, false, None));

            if !intent_chosen {
                probability *= chosen_probability;
                intent_chosen = contains(&answer, b"\",\"slots\"");
            }
            if serde_json::from_slice::<serde_json::Value>(&answer).is_ok() {
                break;
            }
            logits_at = self.decode(&[token], next)?;
            next += 1;
        }

        timings.total = started.elapsed();
        self.timings = timings;
        tracing::debug!(
            prefix_decoded = timings.prefix_decoded,
            question_tokens = timings.question_tokens,
            generated_tokens = timings.generated_tokens,
            elapsed_ms = timings.total.as_millis() as u64,
            "model answer generated"
        );
        Ok((answer, probability))
    }

    /// Decodes `tokens` at positions from `start`, asking for the logits of
    /// the last one, and returns that token's index in its batch.
    fn decode(&mut self, tokens: &[LlamaToken], start: usize) -> Result<i32, ModelError> {
        let mut last_index = 0;
        for (chunk_index, chunk) in tokens.chunks(BATCH_TOKENS).enumerate() {
            let mut batch = LlamaBatch::new(chunk.len(), 1);
            let offset = start + chunk_index * BATCH_TOKENS;
            for (index, token) in chunk.iter().enumerate() {
                let is_last = chunk_index * BATCH_TOKENS + index + 1 == tokens.len();
                batch
                    .add(*token, position(offset + index)?, &[0], is_last)
                    .map_err(inference)?;
            }
            self.context.decode(&mut batch).map_err(inference)?;
            last_index = batch.n_tokens() - 1;
        }
        Ok(last_index)
    }

    /// Picks the best token the grammar allows, with its probability among
    /// the allowed tokens. Costs a grammar check of the whole vocabulary.
    ///
    /// A token is allowed only if it keeps `answer` valid UTF-8: llama.cpp's
    /// grammar lets byte-fallback tokens through that break a character.
    fn pick_scored(
        &mut self,
        logits_at: i32,
        answer: &[u8],
    ) -> Result<(LlamaToken, f32), ModelError> {
        let mut candidates = self.context.token_data_array_ith(logits_at);
        self.grammar.apply(&mut candidates);

        let vocab = self.model.vocab();
        let allowed = candidates.data.iter().filter(|candidate| {
            candidate.logit().is_finite()
                && (vocab.is_eog(candidate.id())
                    || keeps_utf8(answer, &vocab.token_to_piece(candidate.id(), false, None)))
        });
        let best = allowed
            .clone()
            .max_by(|a, b| a.logit().total_cmp(&b.logit()))
            .ok_or_else(|| ModelError::Inference("the grammar allows no next token".to_owned()))?;
        let total: f64 = allowed
            .map(|candidate| f64::from(candidate.logit() - best.logit()).exp())
            .sum();
        Ok((best.id(), (1.0 / total) as f32))
    }

    /// Picks the best token the grammar allows, trying the highest logits
    /// one by one before checking the whole vocabulary.
    fn pick_fast(&mut self, logits_at: i32, answer: &[u8]) -> Result<LlamaToken, ModelError> {
        let logits = self.context.get_logits_ith(logits_at);
        let mut order: Vec<usize> = (0..logits.len()).collect();
        let keep = FAST_PATH_CANDIDATES.min(order.len());
        if keep < order.len() {
            order.select_nth_unstable_by(keep, |&a, &b| logits[b].total_cmp(&logits[a]));
            order.truncate(keep);
        }
        order.sort_unstable_by(|&a, &b| logits[b].total_cmp(&logits[a]));
        let ranked: Vec<LlamaTokenData> = order
            .iter()
            .map(|&id| LlamaTokenData::new(LlamaToken(id as i32), logits[id], 0.0))
            .collect();

        for candidate in ranked {
            let mut single = LlamaTokenDataArray::new(vec![candidate], false);
            self.grammar.apply(&mut single);
            if !single.data[0].logit().is_finite() {
                continue;
            }
            let vocab = self.model.vocab();
            if vocab.is_eog(candidate.id())
                || keeps_utf8(answer, &vocab.token_to_piece(candidate.id(), false, None))
            {
                return Ok(candidate.id());
            }
        }
        self.pick_scored(logits_at, answer).map(|(token, _)| token)
    }
}

impl IntentModel for LocalModel {
    fn decide(&mut self, question: &str) -> Result<(ModelOutput, f32), ModelError> {
        let (answer, probability) = self.generate(question)?;
        let output = parse_output(&answer, &self.catalog)?;
        Ok((output, probability))
    }
}

/// The llama.cpp backend, initialised once per process with its logs sent
/// to `tracing`.
fn backend() -> Result<&'static LlamaBackend, ModelError> {
    static BACKEND: OnceLock<Result<LlamaBackend, String>> = OnceLock::new();

    BACKEND
        .get_or_init(|| {
            llama_cpp_2::send_logs_to_tracing(llama_cpp_2::LogOptions::default());
            LlamaBackend::init().map_err(|error| error.to_string())
        })
        .as_ref()
        .map_err(|reason| ModelError::Load {
            path: PathBuf::new(),
            reason: reason.clone(),
        })
}

/// Returns the model at `path`, loading it on first use.
///
/// Models are leaked on purpose: a process loads each file once and keeps
/// it until it exits, and contexts borrow it for `'static`.
fn shared_model(path: &Path) -> Result<&'static LlamaModel, ModelError> {
    static MODELS: Mutex<Vec<(PathBuf, &'static LlamaModel)>> = Mutex::new(Vec::new());

    let canonical = path.canonicalize().map_err(|_| ModelError::ModelNotFound {
        path: path.to_path_buf(),
    })?;
    if !canonical.is_file() {
        return Err(ModelError::ModelNotFound {
            path: path.to_path_buf(),
        });
    }
    if !has_gguf_signature(&canonical) {
        return Err(ModelError::NotGguf {
            path: path.to_path_buf(),
        });
    }
    let mut models = MODELS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, model)) = models.iter().find(|(loaded, _)| *loaded == canonical) {
        return Ok(model);
    }

    let started = Instant::now();
    let model = LlamaModel::load_from_file(backend()?, &canonical, &LlamaModelParams::default())
        .map_err(|error| {
            load_error(
                path,
                &format!(
                    "{error}; the file may be truncated, corrupt or of a GGUF version this \
                     llama.cpp does not support (run with -v to see llama.cpp's log)"
                ),
            )
        })?;
    let model: &'static LlamaModel = Box::leak(Box::new(model));
    tracing::info!(
        parameters = model.n_params(),
        vocabulary = model.n_vocab(),
        context = model.n_ctx_train(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "model loaded"
    );
    models.push((canonical, model));
    Ok(model)
}

/// Lays out the prompt with the GGUF chat template, or Mixtral's format
/// when the file has none or llama.cpp does not know its template.
fn prompt_for(
    model: &LlamaModel,
    catalog: &Catalog,
    annotate: impl Fn(&str) -> BTreeMap<String, String>,
) -> Prompt {
    let Ok(template) = model.chat_template(None) else {
        tracing::debug!("the model has no chat template; using the Mixtral [INST] format");
        return Prompt::mixtral(catalog, annotate);
    };
    let text = instructions(catalog, &annotate);
    let rendered = LlamaChatMessage::new("user".to_owned(), format!("{text}{QUESTION_MARKER}"))
        .ok()
        .and_then(|message| model.apply_chat_template(&template, &[message], true).ok());
    let template_text = template.to_string().unwrap_or_default();
    match rendered.and_then(|rendered| Prompt::from_rendered(text, &rendered, template_text)) {
        Some(prompt) => prompt,
        None => {
            tracing::warn!(
                "llama.cpp cannot apply the model's chat template; using the Mixtral [INST] format"
            );
            Prompt::mixtral(catalog, annotate)
        }
    }
}

/// Tokenises the prefix with the model's start token, once, whether or not
/// the rendered template already wrote it.
fn tokenize_prefix(model: &LlamaModel, prefix: &str) -> Vec<LlamaToken> {
    let vocab = model.vocab();
    let mut tokens = vocab.tokenize(prefix.as_bytes(), vocab.should_add_bos(), true);
    let bos = vocab.bos();
    if tokens.len() >= 2 && tokens[0] == bos && tokens[1] == bos {
        tokens.remove(0);
    }
    tokens
}

fn position(index: usize) -> Result<i32, ModelError> {
    i32::try_from(index)
        .map_err(|_| ModelError::Inference(format!("position {index} is too large")))
}

/// Whether `answer` followed by `piece` is valid UTF-8, or valid up to a
/// character that later bytes may still complete.
fn keeps_utf8(answer: &[u8], piece: &[u8]) -> bool {
    // Only the last, possibly incomplete, character of `answer` matters:
    // everything before it was checked when its tokens were chosen.
    let start = answer
        .iter()
        .rposition(|byte| byte & 0xC0 != 0x80)
        .unwrap_or(0);
    let mut tail = answer[start..].to_vec();
    tail.extend_from_slice(piece);
    match std::str::from_utf8(&tail) {
        Ok(_) => true,
        Err(error) => error.error_len().is_none(),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

fn inference(error: impl std::fmt::Display) -> ModelError {
    ModelError::Inference(error.to_string())
}

/// Returns whether the file starts with the four bytes "GGUF", so that a
/// wrong file gets a clear error instead of llama.cpp's "null result".
fn has_gguf_signature(path: &Path) -> bool {
    let mut signature = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut file| std::io::Read::read_exact(&mut file, &mut signature))
        .is_ok_and(|()| &signature == b"GGUF")
}

fn load_error(path: &Path, error: &impl std::fmt::Display) -> ModelError {
    ModelError::Load {
        path: path.to_path_buf(),
        reason: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_check_allows_incomplete_character() {
        assert!(keeps_utf8(b"\"B", &[0xC3]));
        assert!(keeps_utf8(&[b'"', 0xC3], &[0xA9]));
        assert!(keeps_utf8("é".as_bytes(), b"t"));
    }

    #[test]
    fn utf8_check_rejects_broken_character() {
        assert!(!keeps_utf8(b"\"B", &[0xA9]));
        assert!(!keeps_utf8(&[b'"', 0xC3], b"t"));
        assert!(!keeps_utf8(b"", &[0xFF]));
    }
}
