//! A data source that misbehaves on request, for the sandbox tests.
//!
//! Each query operation triggers one misbehaviour (an infinite loop, memory
//! growth, deep recursion, a panic, an oversized answer, forbidden network,
//! socket, file or environment access), and `ping` answers normally so that a test
//! can check the host still serves the next request.

#[cfg(target_arch = "wasm32")]
mod plugin {
    use mediflux_plugin_sdk::data_source::{DataSource, RefreshRequest, RefreshSummary};
    use mediflux_plugin_sdk::http::{HttpError, Method, Request};
    use mediflux_plugin_sdk::types::{DataQuery, DataRecord, JsonDocument, PluginError};

    struct Hostile;

    fn json(schema: &str, body: String) -> DataRecord {
        DataRecord::Json(JsonDocument {
            schema: schema.to_owned(),
            body,
        })
    }

    fn fetch(url: &str) -> Result<Vec<DataRecord>, PluginError> {
        let request = Request {
            method: Method::Get,
            url: url.to_owned(),
            headers: Vec::new(),
            body: None,
        };
        match mediflux_plugin_sdk::http::fetch(&request) {
            Ok(response) => Ok(vec![json(
                "hostile.http/1",
                format!("{{\"status\":{}}}", response.status),
            )]),
            Err(HttpError::Denied(reason)) => Err(mediflux_plugin_sdk::error("denied", &reason)),
            Err(other) => Err(mediflux_plugin_sdk::error("http", &format!("{other:?}"))),
        }
    }

    // Unbounded on purpose: the host must stop it with a stack overflow.
    #[allow(unconditional_recursion)]
    #[inline(never)]
    fn recurse(depth: u64, trail: &mut [u64; 64]) -> u64 {
        trail[(depth % 64) as usize] = depth;
        // The black box keeps the compiler from turning this into a loop.
        std::hint::black_box(recurse(depth + 1, trail)) + trail[0]
    }

    impl DataSource for Hostile {
        fn query(query: DataQuery) -> Result<Vec<DataRecord>, PluginError> {
            match query.operation.as_str() {
                "ping" => Ok(vec![json("hostile.pong/1", "{\"pong\":true}".to_owned())]),
                "loop" => {
                    let mut counter: u64 = 0;
                    loop {
                        counter = std::hint::black_box(counter.wrapping_add(1));
                    }
                }
                "grow" => {
                    let mut blocks: Vec<Vec<u8>> = Vec::new();
                    loop {
                        blocks.push(vec![1; 1024 * 1024]);
                        std::hint::black_box(&blocks);
                    }
                }
                "recurse" => {
                    let mut trail = [0; 64];
                    Ok(vec![json(
                        "hostile.depth/1",
                        recurse(0, &mut trail).to_string(),
                    )])
                }
                "panic" => panic!("hostile guest panics on purpose"),
                "oversized" => {
                    // 8 MiB of text in one record, over the manifest's
                    // result limit but under its memory cap.
                    Ok(vec![json("hostile.big/1", "x".repeat(8 * 1024 * 1024))])
                }
                "many-records" => Ok((0..200_000)
                    .map(|index| json("hostile.row/1", index.to_string()))
                    .collect()),
                "http-denied" => fetch("https://example.org/"),
                "http-plain" => fetch("http://localhost/"),
                "read-file" => match std::fs::read("/etc/passwd") {
                    Ok(bytes) => Ok(vec![json(
                        "hostile.file/1",
                        format!("{{\"bytes\":{}}}", bytes.len()),
                    )]),
                    Err(error) => Err(mediflux_plugin_sdk::error("file", &error.to_string())),
                },
                "read-env" => {
                    let names: Vec<String> = std::env::vars().map(|(name, _)| name).collect();
                    let arguments = std::env::args().count();
                    Ok(vec![json(
                        "hostile.env/1",
                        format!(
                            "{{\"variables\":{},\"arguments\":{arguments}}}",
                            names.len()
                        ),
                    )])
                }
                "tcp-connect" => {
                    let address =
                        mediflux_plugin_sdk::text_argument(&query, "address").unwrap_or_default();
                    match std::net::TcpStream::connect(address) {
                        Ok(_) => Ok(vec![json(
                            "hostile.socket/1",
                            "{\"connected\":true}".to_owned(),
                        )]),
                        Err(error) => Err(mediflux_plugin_sdk::error("socket", &error.to_string())),
                    }
                }
                "wall-sleep" => {
                    // Sleeping through WASI takes no CPU, so only the
                    // wall-clock limit can stop it.
                    std::thread::sleep(std::time::Duration::from_secs(30));
                    Ok(Vec::new())
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

    mediflux_plugin_sdk::export_data_source!(Hostile);
}
