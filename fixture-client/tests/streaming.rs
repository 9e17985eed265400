//! Streamed bodies and server-sent events against real HTTP servers on 127.0.0.1: wiremock
//! where whole bodies suffice, and a hand-driven HTTP/1.1 server where the test must control
//! when each chunk leaves.

use fixture_client::runtime::{Body, Config, Error, EventError, Reconnect};
use fixture_client::streaming::{Client, CompleteBody, WatchRunResponse};
use futures_util::StreamExt;
use std::sync::{Arc, Mutex};
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

/// An HTTP/1.1 server that answers each connection with the next of `responses` (raw bytes)
/// and then closes it, keeping every request it read (head and body) in the returned list.
async fn scripted_server(responses: Vec<String>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let address = listener.local_addr().expect("an address");
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    tokio::spawn(async move {
        for response in responses {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let mut request = Vec::new();
            let mut buffer = [0u8; 4096];
            // The head, then as many body bytes as `content-length` says.
            loop {
                if let Some(end) = request.windows(4).position(|window| window == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
                    let length = head
                        .lines()
                        .find_map(|line| line.strip_prefix("content-length:"))
                        .and_then(|value| value.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    if request.len() >= end + 4 + length {
                        break;
                    }
                }
                match socket.read(&mut buffer).await {
                    Ok(0) | Err(_) => return,
                    Ok(read) => request.extend_from_slice(&buffer[..read]),
                }
            }
            seen.lock().expect("not poisoned").push(String::from_utf8_lossy(&request).into_owned());
            let _ = socket.write_all(response.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    (format!("http://{address}"), requests)
}

#[tokio::test]
async fn a_reconnecting_stream_resumes_after_the_last_event_id_until_the_server_says_204() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
    let (url, requests) = scripted_server(vec![
        format!("{head}id: 1\nretry: 10\ndata: {{\"index\": 0, \"text\": \"a\"}}\n\n"),
        format!("{head}id: 2\ndata: {{\"index\": 1, \"text\": \"b\"}}\n\n"),
        "HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n".to_owned(),
    ])
    .await;
    let body = CompleteBody { prompt: "Hello".into() };
    let client = Client::with_base_url(url);
    let policy = Reconnect { wait: Duration::from_secs(30), max_attempts: 3 };
    let events: Vec<String> = tokio::time::timeout(
        Duration::from_secs(10),
        client.complete(&body).reconnecting(policy).map(|event| event.expect("decodes").data.text).collect(),
    )
    .await
    .expect("the server's 10 ms retry replaces the 30 s wait");

    assert_eq!(events, ["a", "b"], "each event once, across two connections");
    let requests = requests.lock().expect("not poisoned").clone();
    assert_eq!(requests.len(), 3, "two streams and the 204 that ends them");
    assert!(!requests[0].to_ascii_lowercase().contains("last-event-id"), "{}", requests[0]);
    assert!(requests[1].to_ascii_lowercase().contains("last-event-id: 1"), "{}", requests[1]);
    assert!(requests[2].to_ascii_lowercase().contains("last-event-id: 2"), "{}", requests[2]);
    assert!(
        requests.iter().all(|request| request.ends_with(r#"{"prompt":"Hello"}"#)),
        "the body is sent again"
    );
}

#[tokio::test]
async fn a_reconnecting_stream_gives_up_after_connections_that_bring_nothing() {
    let empty = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\nretry: 1\n\n";
    let (url, requests) = scripted_server(vec![empty.to_owned(); 4]).await;
    let body = CompleteBody { prompt: "Hello".into() };
    let policy = Reconnect { wait: Duration::from_millis(1), max_attempts: 2 };
    let events: Vec<_> = tokio::time::timeout(
        Duration::from_secs(10),
        Client::with_base_url(url).complete(&body).reconnecting(policy).collect::<Vec<_>>(),
    )
    .await
    .expect("ends instead of reconnecting forever");
    assert!(events.is_empty());
    assert_eq!(requests.lock().expect("not poisoned").len(), 2, "max_attempts connections in all");
}

#[tokio::test]
async fn extra_headers_and_query_parameters_are_sent_and_line_breaks_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::header("client-request-id", "abc"))
        .and(wiremock::matchers::query_param("$select", "id,name"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("ok", "application/octet-stream"))
        .mount(&server)
        .await;
    let client = Client::with_base_url(server.uri());
    let response = client
        .download("x")
        .header("client-request-id", "abc")
        .query("$select", "id,name")
        .await
        .expect("matched");
    assert_eq!(response.into_inner().collect().await.expect("read").as_ref(), b"ok");

    for call in
        [client.download("x").header("x-injected", "a\r\nevil: 1"), client.download("x").query("q", "a\nb")]
    {
        let error = call.await.expect_err("refused");
        assert!(
            matches!(&error, Error::InvalidRequest(message) if message.contains("line break")),
            "{error}"
        );
    }
}

#[tokio::test]
async fn whole_events_decode_by_their_event_name() {
    let (url, server) = event_server().await;
    let mut events = Client::with_base_url(url).watch_run("r1").await.expect("starts").into_inner();
    let _ = server.send(Some(b"event: progress\ndata: {\"index\": 3, \"text\": \"half\"}\n\n"));
    let _ = server.send(Some(b"event: done\nid: 9\ndata: 42\n\n"));
    let _ = server.send(Some(b"event: paused\ndata: {\"for\": 5}\n\n"));
    let _ = server.send(None);

    match events.next().await.expect("an event").expect("decodes").data {
        WatchRunResponse::Progress(progress) => {
            assert_eq!((progress.data.index, progress.data.text.as_str()), (3, "half"))
        }
        other => panic!("a progress event, got {other:?}"),
    }
    match events.next().await.expect("an event").expect("decodes").data {
        // `42` is JSON, but the `done` event's data is text: it is read as text.
        WatchRunResponse::Done(done) => {
            assert_eq!((done.data.as_str(), done.id.as_deref()), ("42", Some("9")))
        }
        other => panic!("a done event, got {other:?}"),
    }
    match events.next().await.expect("an event").expect("decodes").data {
        WatchRunResponse::Other(event) => {
            assert_eq!(event["event"], "paused", "an unknown event is kept whole")
        }
        other => panic!("an unknown event, got {other:?}"),
    }
    assert!(events.next().await.is_none());
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
