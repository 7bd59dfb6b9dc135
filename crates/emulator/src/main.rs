//! `jobscope-emulator`: serves the IoT Jobs API on 127.0.0.1:9090 (see `--help`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use jobscope_emulator::mqtt::{MqttLimits, Pki};
use jobscope_emulator::{
    AccessKeys, Account, AppState, Clock, Config, Faults, Limits, Store, app, demo, mqtt, serve,
};
use tracing_subscriber::EnvFilter;

/// A local, durable AWS IoT Jobs service (data plane iot-jobs-data and control plane iot).
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:9090")]
    listen: SocketAddr,
    /// Directory of the durable store.
    #[arg(long, default_value = ".jobscope-emulator")]
    data_dir: PathBuf,
    /// Keep everything in memory (nothing survives a restart).
    #[arg(long)]
    in_memory: bool,
    /// Seed a demo fleet (skipped when the store already has it).
    #[arg(long)]
    demo: bool,
    /// Account id used in every ARN.
    #[arg(long, default_value = "123456789012")]
    account_id: String,
    /// Region used in every ARN.
    #[arg(long, default_value = "us-east-1")]
    region: String,
    /// Origins allowed by CORS (repeat, or `*` for any).
    #[arg(long = "cors-origin", default_values = ["http://127.0.0.1:8080", "http://localhost:8080"])]
    cors_origins: Vec<String>,
    /// Share of requests answered with ThrottlingException (0.0–1.0).
    #[arg(long, default_value_t = 0.0)]
    throttle_rate: f64,
    /// Share of requests answered with ServiceUnavailableException (0.0–1.0).
    #[arg(long, default_value_t = 0.0)]
    unavailable_rate: f64,
    /// Latency added to every API request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Longest a request may take, in milliseconds.
    #[arg(long, default_value_t = 10_000)]
    request_timeout_ms: u64,
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = 256 * 1024)]
    body_limit: usize,
    /// Longest request head (request line + headers) answered normally; longer gets an AWS-shaped 400 InvalidRequestException.
    #[arg(long, default_value_t = 16 * 1024)]
    max_header_bytes: usize,
    /// Connections served at once (more wait in the listen backlog).
    #[arg(long, default_value_t = 256)]
    max_connections: usize,
    /// Time a client has to send a whole request head, in milliseconds; idle connections close after it too.
    #[arg(long, default_value_t = 10_000)]
    head_timeout_ms: u64,
    /// Authentication: `none`, or `sigv4` (every API request must be signed with an --access-key).
    #[arg(long, default_value = "none", value_parser = ["none", "sigv4"])]
    auth: String,
    /// An accepted key pair for --auth sigv4, as ACCESS_KEY_ID:SECRET_ACCESS_KEY (repeatable).
    #[arg(long = "access-key")]
    access_keys: Vec<String>,
    /// Serve MQTT 3.1.1 and 5 over TCP on this address (off unless given). MQTT over WebSocket is always at
    /// /mqtt on --listen.
    #[arg(long)]
    mqtt_listen: Option<SocketAddr>,
    /// Serve MQTT over TLS on this address, with a local CA kept in <data-dir>/mqtt-tls/ (GET /_emulator/ca.pem).
    #[arg(long)]
    mqtt_tls_listen: Option<SocketAddr>,
    /// MQTT connections at once (TCP, TLS and WebSocket together); more are refused with CONNACK "server busy".
    #[arg(long, default_value_t = 256)]
    mqtt_max_connections: usize,
    /// Largest MQTT packet, in bytes (AWS IoT: 128 KiB).
    #[arg(long, default_value_t = 128 * 1024)]
    mqtt_max_packet_bytes: usize,
    /// Time an MQTT client has to complete TLS and send CONNECT, and the longest a write to it may block, in
    /// milliseconds.
    #[arg(long, default_value_t = 10_000)]
    mqtt_connect_timeout_ms: u64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    for (name, rate) in [
        ("--throttle-rate", args.throttle_rate),
        ("--unavailable-rate", args.unavailable_rate),
    ] {
        if !(0.0..=1.0).contains(&rate) {
            return Err(format!("{name} must be between 0.0 and 1.0, got {rate}").into());
        }
    }
    let access_keys = match args.auth.as_str() {
        "sigv4" => {
            let mut keys = AccessKeys::default();
            for pair in &args.access_keys {
                keys.add(pair)?;
            }
            if keys.0.is_empty() {
                return Err(
                    "--auth sigv4 needs at least one --access-key ACCESS_KEY_ID:SECRET_ACCESS_KEY"
                        .into(),
                );
            }
            Some(keys)
        }
        _ => None,
    };
    let account = Account {
        account_id: args.account_id,
        region: args.region,
    };
    let store = if args.in_memory {
        Store::in_memory(account, Clock::default())
    } else {
        Store::open(&args.data_dir, account, Clock::default())?
    };
    if args.demo && demo::seed(&store).map_err(|e| e.to_string())? {
        tracing::info!("seeded the demo fleet");
    }
    let config = Config {
        faults: Faults {
            throttle_rate: args.throttle_rate,
            unavailable_rate: args.unavailable_rate,
            latency: Duration::from_millis(args.latency_ms),
        },
        cors_origins: args.cors_origins,
        request_timeout: Duration::from_millis(args.request_timeout_ms),
        body_limit: args.body_limit,
        max_header_bytes: args.max_header_bytes,
        access_keys,
        mqtt: MqttLimits {
            max_connections: args.mqtt_max_connections,
            max_packet_bytes: args.mqtt_max_packet_bytes,
            connect_timeout: Duration::from_millis(args.mqtt_connect_timeout_ms),
            ..MqttLimits::default()
        },
        mqtt_pki: None,
    };
    let config = match args.mqtt_tls_listen {
        Some(_) => {
            let pki = if args.in_memory {
                Pki::generate()?
            } else {
                Pki::load_or_create(&args.data_dir)?
            };
            Config {
                mqtt_pki: Some(std::sync::Arc::new(pki)),
                ..config
            }
        }
        None => config,
    };
    let state = AppState::new(store, config);
    // One shutdown signal for every listener.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let on_stop = move || {
        let mut stopped = stopped.clone();
        async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        }
    };
    let mut mqtt_servers = Vec::new();
    if let Some(address) = args.mqtt_listen {
        let listener = tokio::net::TcpListener::bind(address).await?;
        tracing::info!("MQTT on mqtt://{}", listener.local_addr()?);
        mqtt_servers.push(tokio::spawn(mqtt::serve(
            listener,
            state.clone(),
            None,
            on_stop(),
        )));
    }
    if let (Some(address), Some(pki)) = (args.mqtt_tls_listen, state.config.mqtt_pki.clone()) {
        let listener = tokio::net::TcpListener::bind(address).await?;
        let where_ = pki
            .dir
            .as_ref()
            .map_or_else(|| "in memory".to_owned(), |d| d.display().to_string());
        tracing::info!(
            "MQTT over TLS on mqtts://{} (CA: GET /_emulator/ca.pem; files {where_})",
            listener.local_addr()?
        );
        mqtt_servers.push(tokio::spawn(mqtt::serve(
            listener,
            state.clone(),
            Some(pki.server_config()?),
            on_stop(),
        )));
    }
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let storage = if args.in_memory {
        "in memory".to_owned()
    } else {
        format!("store in {}", args.data_dir.display())
    };
    tracing::info!(
        "jobscope-emulator listening on http://{} ({storage})",
        listener.local_addr()?
    );
    let limits = Limits {
        max_connections: args.max_connections,
        head_timeout: Duration::from_millis(args.head_timeout_ms),
        // Heads past the AWS-shaped limit still reach the router up to 64× it (at least 1 MiB), so the client
        // learns the limit; beyond that hyper answers a bare 431 and closes.
        head_hard_cap: (args.max_header_bytes * 64).max(1024 * 1024),
        ..Limits::default()
    };
    let http = serve(listener, app(state), limits, async move {
        shutdown().await;
        let _ = stop.send(true);
    });
    http.await?;
    for server in mqtt_servers {
        server.await??;
    }
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
