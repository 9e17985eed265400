//! With the `tracing` feature, each HTTP attempt is a span naming method, path template,
//! attempt and status, and never the values sent. Run with `--features tracing`.
#![cfg(feature = "tracing")]

mod common;

use common::server_answering;
use generated_client::graph_v1;
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Records every span's name and fields as text.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut text = span.metadata().name().to_owned();
        span.record(&mut Fields(&mut text));
        let mut spans = self.0.lock().expect("not poisoned");
        spans.push(text);
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.0.lock().expect("not poisoned");
        if let Some(text) = spans.get_mut(span.into_u64() as usize - 1) {
            values.record(&mut Fields(text));
        }
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn each_attempt_is_a_span_without_secrets() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let server = server_answering(200, "{}").await;
    graph_v1::Client::with_base_url(server.uri())
        .with_azure_ad_o_auth2("secret-token")
        .update_chat("secret-chat-id", &graph_v1::Chat::default())
        .await
        .expect("success");
    let spans = recorder.0.lock().expect("not poisoned").clone();
    let ours: Vec<&String> = spans.iter().filter(|span| span.starts_with("http_request")).collect();
    assert_eq!(ours.len(), 1, "{spans:?}");
    let span = ours[0];
    assert!(span.contains("method=PATCH"), "{span}");
    assert!(span.contains("path=\"/chats/{chat-id}\""), "{span}");
    assert!(span.contains("attempt=1"), "{span}");
    assert!(span.contains("status=200"), "{span}");
    assert!(spans.iter().all(|span| !span.contains("secret")), "{spans:?}");
}
