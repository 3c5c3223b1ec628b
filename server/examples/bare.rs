//! The request-rate limit that `bench/run.sh` measures beside the portal: a bare axum handler
//! answering `ok`, on the same runtime settings and the same loopback.
//!
//!     cargo run --release -p server --example bare -- 127.0.0.1:8080

use axum::{Router, routing::get};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".into());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("{}", listener.local_addr()?);
    axum::serve(listener, Router::new().route("/", get(|| async { "ok" }))).await
}
