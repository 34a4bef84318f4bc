//! One module per command group.

pub mod ask;
pub mod data;
pub mod french;
pub mod med;
pub mod paths;
pub mod plugins;
pub mod profile;
pub mod refresh;
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
