//! `ecs-portal`: parse the command line and hand over to the library.

fn main() -> std::process::ExitCode {
    server::cli::main()
}
