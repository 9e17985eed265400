//! Streamed bodies and server-sent events against real HTTP servers on 127.0.0.1: wiremock
//! where whole bodies suffice, and a hand-driven HTTP/1.1 server where the test must control
//! when each chunk leaves.

use fixture_client::runtime::{Body, Config, Error, EventError};
use fixture_client::streaming::{Client, CompleteBody};
use futures_util::StreamExt;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_download_far_larger_than_the_size_limit_streams() {
    let server = MockServer::start().await;
    let file: Vec<u8> = (0..4 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    Mock::given(method("GET"))
        .and(path("/files/big.bin"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(file.clone(), "application/octet-stream"))
        .mount(&server)
        .await;
    let config = Config { max_response_bytes: 1024, ..Config::default() };
    let client = Client::with_base_url(server.uri()).with_config(config);

    let mut stream = client.download("big.bin").await.expect("the download starts").into_inner();
    let mut received = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        received.extend_from_slice(&chunk.expect("a chunk"));
        chunks += 1;
    }
    assert_eq!(received.len(), file.len(), "4 MiB through a 1 KiB limit");
    assert!(received == file, "the bytes arrive unchanged and in order");
    assert!(chunks > 1, "delivered in several chunks, not one buffer");

    let collected = client.download("big.bin").await.expect("starts").into_inner().collect().await;
    assert_eq!(collected.expect("read in full").len(), file.len(), "the buffered form stays available");
}

#[tokio::test]
async fn download_errors_are_read_and_decoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404).set_body_raw(r#"{"title": "no such file"}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let error = Client::with_base_url(server.uri()).download("x").await.expect_err("404");
    let Error::Api(response) = error else { panic!("a documented 404, got {error:?}") };
    assert_eq!(response.body().title.as_deref(), Some("no such file"));
}

async fn upload_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    server
}

async fn uploaded(server: &MockServer) -> Vec<u8> {
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1, "one request");
    assert_eq!(
        requests[0].headers.get("content-type").and_then(|value| value.to_str().ok()),
        Some("application/octet-stream")
    );
    requests[0].body.clone()
}

#[tokio::test]
async fn uploads_come_from_memory_a_file_or_a_stream() {
    let server = upload_server().await;
    Client::with_base_url(server.uri()).upload("a", b"in memory".to_vec()).await.expect("stored");
    assert_eq!(uploaded(&server).await, b"in memory");

    let file = std::env::temp_dir().join(format!("fixture-client-upload-{}", std::process::id()));
    std::fs::write(&file, b"from a file").expect("the file is written");
    let server = upload_server().await;
    Client::with_base_url(server.uri()).upload("b", Body::file(&file)).await.expect("stored");
    assert_eq!(uploaded(&server).await, b"from a file");
    let _ = std::fs::remove_file(&file);

    let chunks = futures_util::stream::iter(["from ", "a ", "stream"].map(Ok::<_, std::io::Error>));
    let server = upload_server().await;
    Client::with_base_url(server.uri()).upload("c", Body::stream(chunks)).await.expect("stored");
    assert_eq!(uploaded(&server).await, b"from a stream");
}

#[tokio::test]
async fn a_missing_upload_file_is_a_clear_error() {
    let server = upload_server().await;
    let error = Client::with_base_url(server.uri())
        .upload("a", Body::file("/nonexistent/fixture-client/file"))
        .await
        .expect_err("no such file");
    assert!(
        matches!(error, Error::InvalidRequest(ref message) if message.contains("cannot be read")),
        "{error}"
    );
}

/// An HTTP/1.1 server that answers one request with a chunked `text/event-stream` and sends
/// each chunk it is given through the returned channel only when told to.
async fn event_server() -> (String, mpsc::UnboundedSender<Option<&'static [u8]>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let address = listener.local_addr().expect("an address");
    let (send, mut chunks) = mpsc::unbounded_channel::<Option<&'static [u8]>>();
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else { return };
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        while !request.windows(4).any(|window| window == b"\r\n\r\n") {
            match socket.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(read) => request.extend_from_slice(&buffer[..read]),
            }
        }
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        while let Some(chunk) = chunks.recv().await {
            let frame = match chunk {
                Some(bytes) => [format!("{:x}\r\n", bytes.len()).as_bytes(), bytes, b"\r\n"].concat(),
                None => b"0\r\n\r\n".to_vec(),
            };
            if socket.write_all(&frame).await.is_err() {
                return;
            }
        }
    });
    (format!("http://{address}"), send)
}

#[tokio::test]
async fn events_arrive_one_by_one_while_the_connection_stays_open() {
    let (url, server) = event_server().await;
    let mut events = Client::with_base_url(url).ticks().await.expect("the stream starts").into_inner();

    let _ = server.send(Some(b": a comment\r\nevent: tick\r\nid: 1\r\nretry: 1500\r\ndata: first\r\n\r\n"));
    let first = tokio::time::timeout(Duration::from_secs(5), events.next())
        .await
        .expect("the first event arrives while the server holds the connection")
        .expect("an event")
        .expect("a valid event");
    assert_eq!((first.event.as_str(), first.id.as_str(), first.data.as_str()), ("tick", "1", "first"));
    assert_eq!(first.retry, Some(Duration::from_millis(1500)));

    // An event split across chunks, with several data lines.
    let _ = server.send(Some(b"data: line one\n"));
    let _ = server.send(Some(b"data: line two\n\n"));
    let second = events.next().await.expect("an event").expect("a valid event");
    assert_eq!(second.data, "line one\nline two");
    assert_eq!((second.event.as_str(), second.id.as_str()), ("message", "1"), "the id carries over");

    let _ = server.send(None);
    assert!(events.next().await.is_none(), "the stream ends with the response");
}

#[tokio::test]
async fn json_event_data_decodes_to_the_schema_type() {
    let (url, server) = event_server().await;
    let body = CompleteBody { prompt: "Hello".into() };
    let mut events = Client::with_base_url(url).complete(&body).await.expect("starts").into_inner();
    let _ = server.send(Some(b"data: {\"index\": 0, \"text\": \"Hel\"}\n\n"));
    let _ = server.send(Some(b"data: {\"index\": 1, \"text\": \"lo\"}\n\n"));
    let _ = server.send(Some(b"data: not json\n\n"));
    let _ = server.send(None);

    let first = events.next().await.expect("an event").expect("decodes");
    assert_eq!((first.data.index, first.data.text.as_str()), (0, "Hel"));
    let second = events.next().await.expect("an event").expect("decodes");
    assert_eq!(second.data.index, 1);
    match events.next().await.expect("an event") {
        Err(EventError::Decode { event, .. }) => assert_eq!(event.data, "not json", "the raw event is kept"),
        other => panic!("a decode error, got {other:?}"),
    }
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn a_malformed_event_stream_is_an_error_not_a_panic() {
    let (url, server) = event_server().await;
    let mut events = Client::with_base_url(url).ticks().await.expect("starts").into_inner();
    let _ = server.send(Some(b"data: \xff\xfe not UTF-8\n\n"));
    let _ = server.send(None);
    match events.next().await {
        Some(Err(EventError::Malformed(message))) => assert!(!message.is_empty()),
        other => panic!("a malformed-stream error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_event_stream_that_goes_silent_fails_after_the_read_timeout() {
    // The server sends the head and then nothing, holding the connection open: without a
    // read timeout the stream would wait forever (found by `tests/hostile.rs`).
    let (url, server) = event_server().await;
    let config = Config { read_timeout: Some(Duration::from_millis(200)), ..Config::default() };
    let mut events =
        Client::with_base_url(url).with_config(config).ticks().await.expect("starts").into_inner();
    let next = tokio::time::timeout(Duration::from_secs(5), events.next()).await.expect("no hang");
    assert!(matches!(next, Some(Err(EventError::Transport(_)))), "{next:?}");
    assert!(events.next().await.is_none(), "the stream ends after the error");
    drop(server);
}

#[tokio::test]
async fn a_download_that_goes_silent_ends_with_one_error() {
    // reqwest fails every read after its read timeout at once: a reader that goes on to the
    // end after an error spun until the server closed (found by `tests/hostile.rs`).
    let (url, server) = event_server().await;
    let config = Config { read_timeout: Some(Duration::from_millis(200)), ..Config::default() };
    let mut stream =
        Client::with_base_url(url).with_config(config).download("f").await.expect("starts").into_inner();
    let _ = server.send(Some(b"abc"));
    let read = async {
        let mut items = Vec::new();
        while let Some(item) = stream.next().await {
            items.push(item.map_err(|error| error.is_timeout()));
        }
        items
    };
    let items = tokio::time::timeout(Duration::from_secs(5), read).await.expect("no hang");
    assert_eq!(items, [Ok(bytes::Bytes::from_static(b"abc")), Err(true)]);
    drop(server);
}
