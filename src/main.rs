use std::process::ExitCode;

fn main() -> ExitCode {
    rasci::cli::main()
}
