//! Host services imported by plugins, implemented on the per-call state.
//!
//! Each service checks the calling plugin's manifest first and refuses what
//! it does not grant, naming the missing capability. Payloads (log text,
//! queries, records) are never written to the host's own log.

use std::time::Duration;

use crate::bindings::v0_1::types::{DataQuery, DataRecord, Date, PluginError};
use crate::bindings::v0_1::{cache, config, http, log, rules, sources, storage};
use crate::state::{CallState, MAX_LOG_LINE_BYTES, MAX_LOG_LINES, MAX_QUERY_DEPTH};

impl log::Host for CallState {
    async fn write(&mut self, level: log::Level, message: String) -> wasmtime::Result<()> {
        self.log_lines += 1;
        if self.log_lines > MAX_LOG_LINES {
            if self.log_lines == MAX_LOG_LINES + 1 {
                tracing::warn!(plugin = %self.plugin.manifest.id, "plugin log lines beyond {MAX_LOG_LINES} dropped for this call");
            }
            return Ok(());
        }

        let mut end = message.len().min(MAX_LOG_LINE_BYTES);
        while !message.is_char_boundary(end) {
            end -= 1;
        }
        let text = &message[..end];
        let plugin = self.plugin.manifest.id.as_str();
        match level {
            log::Level::Trace => tracing::trace!(target: "mediflux::plugin", plugin, "{text}"),
            log::Level::Debug => tracing::debug!(target: "mediflux::plugin", plugin, "{text}"),
            log::Level::Info => tracing::info!(target: "mediflux::plugin", plugin, "{text}"),
            log::Level::Warn => tracing::warn!(target: "mediflux::plugin", plugin, "{text}"),
            log::Level::Error => tracing::error!(target: "mediflux::plugin", plugin, "{text}"),
        }
        Ok(())
    }
}

impl config::Host for CallState {
    async fn get(&mut self, key: String) -> wasmtime::Result<Option<String>> {
        Ok(self.plugin.config.get(&key).cloned())
    }
}

impl http::Host for CallState {
    async fn fetch(
        &mut self,
        request: http::Request,
    ) -> wasmtime::Result<Result<http::Response, http::HttpError>> {
        let manifest = &self.plugin.manifest;
        if self.http_requests >= manifest.limits.http_requests {
            return Ok(Err(http::HttpError::RequestBudgetExhausted(
                manifest.limits.http_requests,
            )));
        }
        self.http_requests += 1;

        let client = match self.shared.http_client() {
            Ok(client) => client,
            Err(detail) => return Ok(Err(http::HttpError::Transport(detail))),
        };
        let limits = crate::http::HttpLimits {
            plugin_id: &manifest.id,
            allowed_origins: &self.plugin.allowed_origins,
            max_body_bytes: manifest.limits.http_body_bytes,
            timeout: Duration::from_millis(manifest.limits.http_timeout_ms.into()),
        };
        let result = crate::http::fetch(&client, request, &limits).await;
        if let Err(error) = &result {
            tracing::debug!(plugin = %manifest.id, ?error, "plugin HTTP request failed");
        }
        Ok(result)
    }
}

impl cache::Host for CallState {
    async fn get(&mut self, key: String) -> wasmtime::Result<Option<Vec<u8>>> {
        Ok(self.plugin.cache.get(&key))
    }

    async fn set(
        &mut self,
        key: String,
        value: Vec<u8>,
        ttl_seconds: u32,
    ) -> wasmtime::Result<Result<(), String>> {
        Ok(self.plugin.cache.set(&key, &value, ttl_seconds))
    }
}

impl sources::Host for CallState {
    async fn query(
        &mut self,
        source: String,
        query: DataQuery,
    ) -> wasmtime::Result<Result<Vec<DataRecord>, PluginError>> {
        let manifest = &self.plugin.manifest;
        if !manifest.permissions.sources.contains(&source) {
            return Ok(Err(PluginError {
                code: "denied".to_owned(),
                message: format!(
                    "the capability `sources` does not include `{source}` for plugin {}; add it to permissions.sources",
                    manifest.id
                ),
            }));
        }
        if self.depth + 1 > MAX_QUERY_DEPTH {
            return Ok(Err(PluginError {
                code: "too-deep".to_owned(),
                message: format!("queries between plugins nest deeper than {MAX_QUERY_DEPTH}"),
            }));
        }

        let host = crate::host::Host::from_shared(self.shared.clone());
        let result = Box::pin(host.query_at_depth(&source, query, self.depth + 1)).await;
        Ok(result.map_err(|error| PluginError {
            code: "source-failed".to_owned(),
            message: error.to_string(),
        }))
    }
}

impl rules::Host for CallState {
    async fn value_at(
        &mut self,
        name: String,
        date: Date,
    ) -> wasmtime::Result<Result<rules::RuleEntry, String>> {
        if !self.plugin.manifest.permissions.rules {
            return Ok(Err(format!(
                "the capability `rules` is not granted to plugin {}; set permissions.rules = true",
                self.plugin.manifest.id
            )));
        }
        let Some(provider) = self.shared.rules() else {
            return Ok(Err("no reimbursement rule set is loaded".to_owned()));
        };
        Ok(provider.value_at(&name, date))
    }
}

impl storage::Host for CallState {
    async fn write(&mut self, records: Vec<DataRecord>) -> wasmtime::Result<Result<(), String>> {
        if !self.plugin.manifest.permissions.storage {
            return Ok(Err(format!(
                "the capability `storage` is not granted to plugin {}; set permissions.storage = true",
                self.plugin.manifest.id
            )));
        }
        let Some(sink) = &self.sink else {
            return Ok(Err("storage is only available during a refresh".to_owned()));
        };
        Ok(sink.write(records))
    }

    async fn add_file(&mut self, name: String, sha256: String, bytes: u64) -> wasmtime::Result<()> {
        if let Some(sink) = &self.sink {
            sink.add_file(&name, &sha256, bytes);
        }
        Ok(())
    }

    async fn progress(
        &mut self,
        step: String,
        done: u64,
        total: Option<u64>,
    ) -> wasmtime::Result<()> {
        if let Some(sink) = &self.sink {
            sink.progress(&step, done, total);
        }
        Ok(())
    }

    async fn lookup(
        &mut self,
        kind: storage::RecordKind,
        key: String,
    ) -> wasmtime::Result<Result<Vec<DataRecord>, String>> {
        let reader = match self.reference_reader() {
            Ok(reader) => reader,
            Err(message) => return Ok(Err(message)),
        };
        Ok(reader.lookup(&self.plugin.manifest.id, kind, &key))
    }

    async fn search(
        &mut self,
        kind: storage::RecordKind,
        text: String,
        limit: u32,
    ) -> wasmtime::Result<Result<Vec<DataRecord>, String>> {
        let reader = match self.reference_reader() {
            Ok(reader) => reader,
            Err(message) => return Ok(Err(message)),
        };
        Ok(reader.search(
            &self.plugin.manifest.id,
            kind,
            &text,
            limit.min(MAX_SEARCH_RESULTS),
        ))
    }
}

impl crate::bindings::v0_1::types::Host for CallState {}

/// Maximum number of records one `storage.search` returns, whatever limit
/// the plugin requests.
const MAX_SEARCH_RESULTS: u32 = 100;

impl CallState {
    /// Returns the reference reader, or the refusal to hand the plugin.
    fn reference_reader(&self) -> Result<std::sync::Arc<dyn crate::sink::ReferenceReader>, String> {
        if !self.plugin.manifest.permissions.storage {
            return Err(format!(
                "the capability `storage` is not granted to plugin {}; set permissions.storage = true",
                self.plugin.manifest.id
            ));
        }
        self.shared
            .reference()
            .cloned()
            .ok_or_else(|| "no reference store is open".to_owned())
    }
}
