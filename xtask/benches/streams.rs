//! Streamed downloads and server-sent events through the generated client (`fixture-client`,
//! from `generator/tests/fixtures/streaming.yaml`) against the same work written by hand with
//! reqwest, over loopback, in the same run.
//!
//! `cargo bench -p xtask --bench streams`. Each measurement runs in a child process of its own
//! so that its peak resident memory is its own; the server runs in this (parent) process and
//! sends from one static buffer.

use futures_util::StreamExt;
use std::io::Write as _;
use std::process::Command;
use std::time::Instant;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const DOWNLOAD_BYTES: u64 = 1 << 30;
const EVENTS: usize = 200_000;
const RUNS: usize = 7;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(mode) = args.iter().find_map(|arg| arg.strip_prefix("--child=")) {
        let url = args.iter().find_map(|arg| arg.strip_prefix("--url=")).unwrap_or_default();
        return child(mode, url);
    }
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let url = runtime.block_on(serve());
    let measure = |mode: &str| {
        let output = Command::new(&args[0])
            .args([format!("--child={mode}"), format!("--url={url}")])
            .output()
            .expect("the child runs");
        let text = String::from_utf8_lossy(&output.stdout);
        let mut fields = text.split_whitespace().map(|field| field.parse::<f64>().unwrap_or(0.0));
        (fields.next().unwrap_or(0.0), fields.next().unwrap_or(0.0) as u64)
    };
    println!("{:<22} {:>12} {:>14}", "measurement", "median", "peak RSS");
    for (pair, unit) in [
        (["download-generated", "download-reqwest"], "MiB/s"),
        (["events-generated", "events-reqwest"], "events/s"),
    ] {
        // Alternating the two sides spreads the machine's noise over both.
        let mut rates = [Vec::new(), Vec::new()];
        let mut peaks = [0, 0];
        for _ in 0..RUNS {
            for (side, mode) in pair.iter().enumerate() {
                let (rate, peak) = measure(mode);
                rates[side].push(rate);
                peaks[side] = peaks[side].max(peak);
            }
        }
        let mut medians = [0.0; 2];
        for side in 0..2 {
            rates[side].sort_by(f64::total_cmp);
            medians[side] = rates[side][RUNS / 2];
            println!("{:<22} {:>8.0} {unit:<8} {:>7} MiB", pair[side], medians[side], peaks[side] / 1024);
        }
        println!("{:<22} {:>8.1} %", "  generated / reqwest", 100.0 * medians[0] / medians[1]);
    }
}

/// One measurement: prints the rate and the peak resident set in KiB.
fn child(mode: &str, url: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let rate = runtime.block_on(async {
        let started = Instant::now();
        let amount = match mode {
            "download-generated" => download_generated(url).await,
            "download-reqwest" => download_reqwest(url).await,
            "events-generated" => events_generated(url).await,
            "events-reqwest" => events_reqwest(url).await,
            other => panic!("unknown measurement {other}"),
        };
        let seconds = started.elapsed().as_secs_f64();
        if mode.starts_with("download") {
            assert_eq!(amount as u64, DOWNLOAD_BYTES, "the whole body arrives");
            amount / seconds / (1024.0 * 1024.0)
        } else {
            assert_eq!(amount as usize, EVENTS, "every event arrives");
            amount / seconds
        }
    });
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak_kb = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0);
    let _ = writeln!(std::io::stdout(), "{rate} {peak_kb}");
}

async fn download_generated(url: &str) -> f64 {
    let client = fixture_client::streaming::Client::with_base_url(url);
    let mut stream = client.download("big").await.expect("the download starts").into_inner();
    let mut total = 0usize;
    while let Some(chunk) = stream.next().await {
        total += chunk.expect("a chunk").len();
    }
    total as f64
}

async fn download_reqwest(url: &str) -> f64 {
    let response = reqwest::get(format!("{url}/files/big")).await.expect("the download starts");
    let mut stream = response.bytes_stream();
    let mut total = 0usize;
    while let Some(chunk) = stream.next().await {
        total += chunk.expect("a chunk").len();
    }
    total as f64
}

async fn events_generated(url: &str) -> f64 {
    let client = fixture_client::streaming::Client::with_base_url(url);
    let body = fixture_client::streaming::CompleteBody { prompt: "bench".into() };
    let mut events = client.complete(&body).await.expect("the stream starts").into_inner();
    let mut count = 0;
    while let Some(event) = events.next().await {
        std::hint::black_box(event.expect("an event").data.index);
        count += 1;
    }
    count as f64
}

#[derive(serde::Deserialize)]
struct Chunk {
    index: i32,
    #[allow(dead_code, reason = "decoded like the generated type, not read")]
    text: String,
}

async fn events_reqwest(url: &str) -> f64 {
    use eventsource_stream::Eventsource as _;
    let response = reqwest::Client::new()
        .post(format!("{url}/completions"))
        .json(&serde_json::json!({"prompt": "bench"}))
        .send()
        .await
        .expect("the stream starts");
    let mut events = response.bytes_stream().eventsource();
    let mut count = 0;
    while let Some(event) = events.next().await {
        let chunk: Chunk = serde_json::from_str(&event.expect("an event").data).expect("decodes");
        std::hint::black_box(chunk.index);
        count += 1;
    }
    count as f64
}

/// A loopback HTTP/1.1 server: `GET /files/…` answers 1 GiB of zeros, anything else an event
/// stream of `EVENTS` small JSON events. Returns its base URL.
async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 8192];
                while !request.windows(4).any(|window| window == b"\r\n\r\n") {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => request.extend_from_slice(&buffer[..read]),
                    }
                }
                if request.starts_with(b"GET /files/") {
                    let head = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {DOWNLOAD_BYTES}\r\nconnection: close\r\n\r\n"
                    );
                    let zeros = vec![0u8; 256 * 1024];
                    if socket.write_all(head.as_bytes()).await.is_err() {
                        return;
                    }
                    let mut left = DOWNLOAD_BYTES as usize;
                    while left > 0 {
                        let size = left.min(zeros.len());
                        if socket.write_all(&zeros[..size]).await.is_err() {
                            return;
                        }
                        left -= size;
                    }
                } else {
                    // The request body (a small JSON) is not needed.
                    let mut body = String::with_capacity(EVENTS * 48);
                    for index in 0..EVENTS {
                        body.push_str(&format!(
                            "data: {{\"index\": {index}, \"text\": \"token {index}\"}}\n\n"
                        ));
                    }
                    let head = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = socket.write_all(head.as_bytes()).await;
                    let _ = socket.write_all(body.as_bytes()).await;
                }
                let _ = socket.shutdown().await;
            });
        }
    });
    url
}
