//! `wasm-bindgen-test-runner`, built from the `wasm-bindgen-cli` library at the exact version
//! the workspace pins. `cargo xtask test` builds it and puts its folder first on `PATH`; cargo
//! then uses it as the runner for `wasm32-unknown-unknown` (see `.cargo/config.toml`).

fn main() -> std::process::ExitCode {
    match wasm_bindgen_cli::wasm_bindgen_test_runner::run_cli_with_args(std::env::args_os()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("wasm-bindgen-test-runner: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
