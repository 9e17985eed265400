//! `multipart/form-data` bodies against a real HTTP server on 127.0.0.1, whose body a real
//! multipart parser (multer, the one axum uses) reads back part by part.

use fixture_client::multipart::{
    Client, ReplaceDocumentsBody, UploadPhotoBody, UploadPhotoBodyKind, UploadPhotoBodyMetadata,
};
use fixture_client::runtime::{Body, FilePart};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// One part as the server saw it.
#[derive(Debug, PartialEq)]
struct SeenPart {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

async fn mock_server(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(status).set_body_raw(r#"{"url": "https://x/1"}"#, "application/json"),
        )
        .mount(&server)
        .await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    server
}

async fn parts(request: &Request) -> Vec<SeenPart> {
    let content_type =
        request.headers.get("content-type").and_then(|value| value.to_str().ok()).expect("a content type");
    let boundary = multer::parse_boundary(content_type).expect("multipart/form-data with a boundary");
    let body = bytes::Bytes::from(request.body.clone());
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut seen = Vec::new();
    while let Some(field) = multipart.next_field().await.expect("a well-formed part") {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(ToString::to_string);
        let data = field.bytes().await.expect("the part's data").to_vec();
        seen.push(SeenPart { name, file_name, content_type, data });
    }
    seen
}

fn part(name: &str, file_name: Option<&str>, content_type: Option<&str>, data: &[u8]) -> SeenPart {
    SeenPart {
        name: name.into(),
        file_name: file_name.map(Into::into),
        content_type: content_type.map(Into::into),
        data: data.to_vec(),
    }
}

#[tokio::test]
async fn every_field_becomes_a_part_with_its_headers() {
    let server = mock_server(201).await;
    let file = std::env::temp_dir().join(format!("fixture-client-thumb-{}.jpg", std::process::id()));
    std::fs::write(&file, b"thumb from a file").expect("the file is written");
    let body = UploadPhotoBody {
        photo: FilePart::new(b"\x89PNG...".to_vec()).file_name("cat.png"),
        thumbnails: Some(vec![
            FilePart::file(&file).content_type("image/jpeg"),
            FilePart::new(Body::stream(futures_util::stream::iter([Ok::<_, std::io::Error>("streamed")]))),
        ]),
        caption: Some("Whiskers, 3".into()),
        tags: Some(vec!["cat".into(), "cute".into()]),
        rating: Some(5),
        kind: Some(UploadPhotoBodyKind::Portrait),
        metadata: Some(UploadPhotoBodyMetadata { camera: Some("X100".into()), iso: Some(200) }),
    };

    let created = Client::with_base_url(server.uri()).upload_photo("pet 1", body).await.expect("stored");
    let _ = std::fs::remove_file(&file);

    assert_eq!(created.url.as_deref(), Some("https://x/1"));
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests[0].url.path(), "/pets/pet%201/photos");
    let thumb_name = file.file_name().and_then(|name| name.to_str());
    assert_eq!(
        parts(&requests[0]).await,
        vec![
            part("photo", Some("cat.png"), Some("image/png"), b"\x89PNG..."),
            part("thumbnails", thumb_name, Some("image/jpeg"), b"thumb from a file"),
            part("thumbnails", None, Some("application/octet-stream"), b"streamed"),
            part("caption", None, None, b"Whiskers, 3"),
            part("tags", None, None, b"cat"),
            part("tags", None, None, b"cute"),
            part("rating", None, None, b"5"),
            part("kind", None, None, b"portrait"),
            part("metadata", None, Some("application/json"), br#"{"camera":"X100","iso":200}"#),
        ]
    );
}

#[tokio::test]
async fn optional_fields_left_out_send_no_part_and_an_absent_body_sends_no_form() {
    let server = mock_server(201).await;
    let body = UploadPhotoBody {
        photo: FilePart::new(&b"p"[..]),
        thumbnails: None,
        caption: None,
        tags: None,
        rating: None,
        kind: None,
        metadata: None,
    };
    Client::with_base_url(server.uri()).upload_photo("1", body).await.expect("stored");
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(parts(&requests[0]).await, vec![part("photo", None, Some("image/png"), b"p")]);

    let server = mock_server(201).await;
    Client::with_base_url(server.uri()).replace_documents("1", None).await.expect("replaced");
    let requests = server.received_requests().await.unwrap_or_default();
    assert!(requests[0].body.is_empty());
    assert!(requests[0].headers.get("content-type").is_none());

    let server = mock_server(201).await;
    let documents =
        ReplaceDocumentsBody { files: Some(vec![b"a".to_vec().into(), b"b".to_vec().into()]), note: None };
    Client::with_base_url(server.uri()).replace_documents("1", Some(documents)).await.expect("replaced");
    let requests = server.received_requests().await.unwrap_or_default();
    let seen = parts(&requests[0]).await;
    assert_eq!(seen.iter().map(|part| part.data.as_slice()).collect::<Vec<_>>(), [b"a", b"b"]);
}

#[tokio::test]
async fn a_form_of_bytes_and_files_is_sent_again_on_retry() {
    use fixture_client::runtime::{Config, RetryPolicy};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_raw("{}", "application/json"))
        .mount(&server)
        .await;
    let retry = RetryPolicy {
        retry_non_idempotent: true,
        initial_backoff: std::time::Duration::from_millis(1),
        ..RetryPolicy::default()
    };
    let client = Client::with_base_url(server.uri()).with_config(Config { retry, ..Config::default() });
    let body = UploadPhotoBody {
        photo: FilePart::new(b"again".to_vec()),
        thumbnails: None,
        caption: Some("c".into()),
        tags: None,
        rating: None,
        kind: None,
        metadata: None,
    };
    client.upload_photo("1", body).await.expect("stored on the second attempt");
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 2);
    assert_eq!(parts(&requests[0]).await, parts(&requests[1]).await, "the same form both times");
}

#[tokio::test]
async fn part_headers_the_spec_fixes_or_the_caller_sets_are_sent() {
    let server = mock_server(201).await;
    let body = UploadPhotoBody {
        photo: FilePart::new(b"p".to_vec()).header("X-Checksum", "abc"),
        thumbnails: None,
        caption: None,
        tags: None,
        rating: None,
        kind: None,
        metadata: None,
    };
    Client::with_base_url(server.uri()).upload_photo("1", body).await.expect("stored");
    let requests = server.received_requests().await.unwrap_or_default();
    let request = &requests[0];
    let content_type =
        request.headers.get("content-type").and_then(|value| value.to_str().ok()).expect("a type");
    let boundary = multer::parse_boundary(content_type).expect("a boundary");
    let body = bytes::Bytes::from(request.body.clone());
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let photo = multipart.next_field().await.expect("well formed").expect("the photo part");
    let header =
        |name: &str| photo.headers().get(name).and_then(|value| value.to_str().ok()).map(str::to_owned);
    assert_eq!(header("x-schema-version").as_deref(), Some("2"), "fixed by the spec's encoding");
    assert_eq!(header("x-checksum").as_deref(), Some("abc"), "set by the caller");
}
