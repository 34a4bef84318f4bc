//! One module per command group.

pub mod ask;
pub mod data;
pub mod french;
pub mod med;
pub mod paths;
pub mod plugins;
pub mod profile;
pub mod refresh;
pub mod route;
pub mod rules;
pub mod simulate;

/// Output options shared by every command.
pub struct Output {
    /// Print JSON instead of text.
    pub json: bool,
}

impl Output {
    /// Prints `value` as pretty JSON on standard output.
    pub fn print_json(&self, value: &impl serde::Serialize) -> anyhow::Result<()> {
        println!("{}", serde_json::to_string_pretty(value)?);
        Ok(())
    }
}

/// Builds the single-threaded runtime the commands run plugin calls on.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// Returns today's date in UTC, as the SDK's date type.
// NOTE: UTC, not the local time zone, so between midnight and 1 or 2 a.m. in
// France the default date of care is still the previous day.
pub fn today() -> mediflux_host::types::Date {
    use chrono::Datelike as _;

    let now = chrono::Utc::now().date_naive();
    mediflux_host::types::Date {
        year: u16::try_from(now.year()).unwrap_or_default(),
        month: u8::try_from(now.month()).unwrap_or(1),
        day: u8::try_from(now.day()).unwrap_or(1),
    }
}
