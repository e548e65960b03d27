//! The Cloud Store server binary: logging, configuration, then [`server::run`].

use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let config = match server::config::Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            tracing::error!(error = %e, "bad configuration");
            return std::process::ExitCode::from(2);
        }
    };
    if let Err(e) = config.check() {
        tracing::error!(error = e, "bad configuration");
        return std::process::ExitCode::from(2);
    }
    if config.secret_key.is_empty() {
        tracing::warn!(
            "SECRET_KEY is not set: this process signs with its own key, so hand-off links \
             die with it and other servers will not accept them"
        );
    }
    match server::run(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "server stopped");
            std::process::ExitCode::FAILURE
        }
    }
}
