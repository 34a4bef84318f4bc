//! Benchmark guest: `noop` measures the cost of a fresh instance plus a
//! call, and `checksum` runs [`checksum`], which the benchmark also runs
//! natively to compare the two.

/// Returns the 64-bit FNV-1a hash of `length` pseudo-random bytes from a
/// fixed xorshift generator: a small, deterministic, CPU-bound computation.
pub fn checksum(length: u64) -> u64 {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for _ in 0..length {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        hash ^= state & 0xff;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(target_arch = "wasm32")]
mod plugin {
    use mediflux_plugin_sdk::data_source::{DataSource, RefreshRequest, RefreshSummary};
    use mediflux_plugin_sdk::types::{DataQuery, DataRecord, JsonDocument, PluginError};

    struct Bench;

    impl DataSource for Bench {
        fn query(query: DataQuery) -> Result<Vec<DataRecord>, PluginError> {
            match query.operation.as_str() {
                "noop" => Ok(Vec::new()),
                "checksum" => {
                    let length = mediflux_plugin_sdk::integer_argument(&query, "length")
                        .unwrap_or(0)
                        .max(0) as u64;
                    let body = super::checksum(length).to_string();
                    Ok(vec![DataRecord::Json(JsonDocument {
                        schema: "bench.checksum/1".to_owned(),
                        body,
                    })])
                }
                other => Err(mediflux_plugin_sdk::error("unknown-operation", other)),
            }
        }

        fn refresh(_request: RefreshRequest) -> Result<RefreshSummary, PluginError> {
            Ok(RefreshSummary {
                written: 0,
                rejected: 0,
                notes: Vec::new(),
            })
        }
    }

    mediflux_plugin_sdk::export_data_source!(Bench);
}

#[cfg(test)]
mod tests {
    #[test]
    fn checksum_depends_on_length() {
        assert_ne!(super::checksum(10), super::checksum(11));
        assert_eq!(super::checksum(0), 0xcbf2_9ce4_8422_2325);
    }
}
