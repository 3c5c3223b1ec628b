//! `petitio`: the server binary. See `API.md` for the commands.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tokio_util::sync::CancellationToken;

use server::audit_cli::AuditCommand;
use server::config::Settings;
use server::retention_cli::RetentionCommand;
use server::startup::{self, Application};
use server::telemetry;
use server::workflow_cli::WorkflowCommand;

/// mimalloc instead of glibc's malloc: a page allocates thousands of small strings, and under
/// load glibc's malloc and free were a quarter of the server's CPU (bench/results/2026-11-26.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "petitio",
    version,
    about = "Petitions and complaints to public authorities"
)]
struct Cli {
    /// A TOML config file; environment variables override it.
    #[arg(long, global = true, env = "PETITIO_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate, then serve the site, the JSON API and the workers (the default).
    Serve,
    /// Apply the database migrations and exit.
    Migrate,
    /// Load the demo institution, departments, categories and accounts, and about 300 demo
    /// cases with a year of history (idempotent).
    SeedDemo {
        /// Only the institution, its reference data and the accounts: no cases.
        #[arg(long)]
        no_cases: bool,
    },
    /// Write the database and the attachment files to one archive FILE (`.tar`, or gzip with
    /// `.tar.gz`); safe while the server runs.
    Backup {
        /// The archive to write (replaced only once complete).
        file: PathBuf,
    },
    /// Restore an archive written by `backup` into DATABASE_URL and PETITIO_ATTACHMENTS_DIR
    /// (stop the server first).
    Restore {
        /// The archive to read.
        file: PathBuf,
        /// Replace a database that already holds cases.
        #[arg(long)]
        force: bool,
    },
    /// Workflow definitions: list, export, check, preview (no database needed).
    #[command(subcommand)]
    Workflow(WorkflowCommand),
    /// The audit trail: `verify` recomputes its hash chains (exit 1 when one is broken).
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Retention: `run` anonymises the cases whose retention period after closing ended
    /// (`--dry-run` lists them).
    #[command(subcommand)]
    Retention(RetentionCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = match cli.command.unwrap_or(Command::Serve) {
        Command::Workflow(cmd) => {
            let code =
                server::workflow_cli::run(cmd, &mut std::io::stdout(), &mut std::io::stderr());
            return ExitCode::from(code);
        }
        other => other,
    };
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings.log, settings.log_json);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(command, settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<()> {
    match command {
        Command::Serve => {
            let app = Application::build(settings).await?;
            let shutdown = CancellationToken::new();
            let trigger = shutdown.clone();
            tokio::spawn(async move {
                startup::shutdown_signal().await;
                trigger.cancel();
            });
            app.run_until_stopped(shutdown).await
        }
        Command::Migrate => {
            let conn = startup::connect_and_migrate(&settings).await?;
            conn.close().await.ok();
            println!("migrations applied");
            Ok(())
        }
        Command::Workflow(_) => Ok(()),
        Command::Audit(cmd) => server::audit_cli::run(cmd, &settings).await,
        Command::Retention(cmd) => server::retention_cli::run(cmd, &settings).await,
        Command::Backup { file } => {
            let report = server::backup::backup(&settings, &file).await?;
            println!("{report}");
            Ok(())
        }
        Command::Restore { file, force } => {
            let report = server::backup::restore(&settings, &file, force).await?;
            println!("{report}");
            Ok(())
        }
        Command::SeedDemo { no_cases } => {
            let conn = startup::connect_and_migrate(&settings).await?;
            startup::seed_demo_with(&conn, !no_cases, chrono::Utc::now(), &settings.public_url)
                .await?;
            conn.close().await.ok();
            Ok(())
        }
    }
}
