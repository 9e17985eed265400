//! The generated client's overhead over plain reqwest for one operation over loopback.
//!
//! Both send `PATCH /chats/{chat-id}` with a bearer token and a JSON body to the same local
//! server and decode the same response into the same type; the difference is what the
//! generated code and runtime add (request building, encoding, the decode dispatch).

use criterion::{Criterion, criterion_group, criterion_main};
use generated_client::graph_v1::{Chat, Client};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const CHAT: &str = r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#chats/$entity",
    "id": "19:1c5b01696d2e4a179c292bc9cf04e63b@thread.v2", "topic": "Group chat title update",
    "createdDateTime": "2020-12-04T23:11:16.175Z", "lastUpdatedDateTime": "2020-12-04T23:12:19.943Z",
    "chatType": "group"}"#;
const CHAT_ID: &str = "19:1c5b01696d2e4a179c292bc9cf04e63b@thread.v2";

fn overhead(c: &mut Criterion) {
    // One thread for the client side: fewer cross-thread wake-ups, which otherwise dominate the
    // loopback round trip and its noise.
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let server = runtime.block_on(async {
        // Recording every request would grow the server's journal for the whole run.
        let server = MockServer::builder().disable_request_recording().start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_raw(CHAT, "application/json"))
            .mount(&server)
            .await;
        server
    });
    let body = Chat { topic: Some(Some("Group chat title update".into())), ..Default::default() };

    // One reqwest client (and connection pool) for both, so the difference is the generated
    // code's and the runtime's own work.
    let http = reqwest::Client::new();
    let generated =
        Client::with_base_url(server.uri()).with_http_client(http.clone()).with_azure_ad_o_auth2("token");
    c.bench_function("update_chat/generated", |b| {
        b.to_async(&runtime)
            .iter(|| async { generated.update_chat(CHAT_ID, &body).await.expect("success").into_inner() })
    });

    let url = format!("{}/chats/19%3A1c5b01696d2e4a179c292bc9cf04e63b%40thread.v2", server.uri());
    c.bench_function("update_chat/hand-written reqwest", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = http.patch(&url).bearer_auth("token").json(&body).send().await.expect("sent");
            assert!(response.status().is_success());
            response.json::<Chat>().await.expect("decoded")
        })
    });
}

criterion_group!(benches, overhead);
criterion_main!(benches);
