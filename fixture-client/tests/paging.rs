//! Paged list operations (`paging.yaml`) against a real HTTP server on 127.0.0.1: next links
//! in the body (OData, `x-ms-pageable`) and in the `Link` header are followed in order, loops
//! end with an error, and links to another host get no credentials. Numbered pages and
//! offsets count on until a page has no items.

use fixture_client::paging::{Client, ListInvoicesParams, ListOrdersParams, ListReposParams};
use fixture_client::runtime::Error;
use futures_util::StreamExt;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn page(server: &MockServer, route: &str, skip: Option<&str>, body: String) {
    let mut mock = Mock::given(method("GET")).and(path(route));
    if let Some(skip) = skip {
        mock = mock.and(query_param("$skip", skip));
    }
    mock.respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .with_priority(if skip.is_some() { 1 } else { 5 })
        .mount(server)
        .await;
}

#[tokio::test]
async fn three_odata_pages_are_followed_and_items_arrive_in_order() {
    let server = MockServer::start().await;
    let uri = server.uri();
    page(
        &server,
        "/users",
        None,
        format!(r#"{{"@odata.nextLink": "{uri}/users?$skip=2", "value": [{{"id": "1"}}, {{"id": "2"}}]}}"#),
    )
    .await;
    page(
        &server,
        "/users",
        Some("2"),
        format!(r#"{{"@odata.nextLink": "{uri}/users?$skip=4", "value": [{{"id": "3"}}, {{"id": "4"}}]}}"#),
    )
    .await;
    page(&server, "/users", Some("4"), r#"{"@odata.nextLink": null, "value": [{"id": "5"}]}"#.to_owned())
        .await;
    let client = Client::with_base_url(uri).with_token("secret");

    let ids: Vec<String> =
        client.list_users_items(None).map(|user| user.expect("every page decodes").id).collect().await;

    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 3, "one request per page");
    assert!(
        requests
            .iter()
            .all(|request| request.headers.get("authorization").is_some_and(|v| v == "Bearer secret")),
        "every page is sent with the credentials"
    );
}

#[tokio::test]
async fn an_x_ms_pageable_next_link_relative_to_the_base_url_is_followed() {
    let server = MockServer::start().await;
    page(&server, "/machines", None, r#"{"next_url": "/machines?$skip=1", "machines": ["a"]}"#.to_owned())
        .await;
    page(&server, "/machines", Some("1"), r#"{"machines": ["b"]}"#.to_owned()).await;
    let machines: Vec<String> = Client::with_base_url(server.uri())
        .list_machines_items()
        .map(|machine| machine.expect("decodes"))
        .collect()
        .await;
    assert_eq!(machines, ["a", "b"]);
}

#[tokio::test]
async fn link_header_pages_are_followed_with_the_first_request_s_parameters_only_once() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let link =
        |next: &str| format!("<{uri}/repos?page={next}>; rel=\"next\", <{uri}/repos?page=1>; rel=\"first\"");
    Mock::given(method("GET"))
        .and(path("/repos"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"["c", "d"]"#, "application/json")
                .insert_header("link", link("3")),
        )
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos"))
        .and(query_param("page", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"["e"]"#, "application/json"))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"["a", "b"]"#, "application/json")
                .insert_header("link", link("2")),
        )
        .with_priority(5)
        .mount(&server)
        .await;

    let params = ListReposParams { per_page: Some(2) };
    let pages: Vec<Vec<String>> = Client::with_base_url(uri.clone())
        .list_repos_pages(Some(&params))
        .map(|page| page.expect("decodes").into_inner())
        .collect()
        .await;

    assert_eq!(pages, [vec!["a", "b"], vec!["c", "d"], vec!["e"]]);
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests[0].url.query(), Some("per_page=2"));
    assert_eq!(requests[1].url.query(), Some("page=2"), "the link is followed exactly as given");
}

#[tokio::test]
async fn a_next_link_seen_twice_ends_with_an_error_instead_of_looping() {
    let server = MockServer::start().await;
    let uri = server.uri();
    page(&server, "/users", None, format!(r#"{{"@odata.nextLink": "{uri}/users?$skip=2", "value": []}}"#))
        .await;
    page(
        &server,
        "/users",
        Some("2"),
        format!(r#"{{"@odata.nextLink": "{uri}/users?$skip=2", "value": []}}"#),
    )
    .await;
    let results: Vec<_> = Client::with_base_url(uri).list_users_pages(None).collect().await;
    assert_eq!(results.len(), 3, "two pages, then the error");
    assert!(
        matches!(&results[2], Err(Error::InvalidRequest(message)) if message.contains("twice")),
        "{:?}",
        results[2]
    );
}

#[tokio::test]
async fn a_next_link_to_another_host_gets_no_credentials() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    page(
        &api,
        "/users",
        None,
        format!(r#"{{"@odata.nextLink": "{}/users?$skip=1", "value": [{{"id": "1"}}]}}"#, elsewhere.uri()),
    )
    .await;
    page(&elsewhere, "/users", Some("1"), r#"{"value": [{"id": "2"}]}"#.to_owned()).await;
    let ids: Vec<String> = Client::with_base_url(api.uri())
        .with_token("secret")
        .list_users_items(None)
        .map(|user| user.expect("decodes").id)
        .collect()
        .await;
    assert_eq!(ids, ["1", "2"]);
    let other = elsewhere.received_requests().await.unwrap_or_default();
    assert!(other[0].headers.get("authorization").is_none(), "the token stays with the API's host");
}

#[tokio::test]
async fn stripe_style_pages_start_after_the_last_item_while_there_is_more() {
    let server = MockServer::start().await;
    let respond = |body: &str| ResponseTemplate::new(200).set_body_raw(body.to_owned(), "application/json");
    Mock::given(method("GET"))
        .and(path("/charges"))
        .and(query_param("starting_after", "ch_2"))
        .respond_with(respond(r#"{"data": [{"id": "ch_3"}], "has_more": false}"#))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/charges"))
        .respond_with(respond(r#"{"data": [{"id": "ch_1"}, {"id": "ch_2"}], "has_more": true}"#))
        .with_priority(5)
        .mount(&server)
        .await;
    let params = fixture_client::paging::ListChargesParams { limit: Some(2), starting_after: None };
    let ids: Vec<String> = Client::with_base_url(server.uri())
        .list_charges_items(Some(&params))
        .map(|charge| charge.expect("decodes").id)
        .collect()
        .await;
    assert_eq!(ids, ["ch_1", "ch_2", "ch_3"]);
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests[1].url.query(), Some("limit=2&starting_after=ch_2"), "the other parameters are kept");
}

#[tokio::test]
async fn a_page_token_is_sent_back_in_the_parameter_of_the_same_name() {
    let server = MockServer::start().await;
    let respond = |body: &str| ResponseTemplate::new(200).set_body_raw(body.to_owned(), "application/json");
    for (token, body) in [
        (Some("t2"), r#"{"files": ["c"], "nextPageToken": "t3"}"#),
        (Some("t3"), r#"{"files": ["d"]}"#),
        (None, r#"{"files": ["a", "b"], "nextPageToken": "t2"}"#),
    ] {
        let mut mock = Mock::given(method("GET")).and(path("/projects/p%201/files"));
        if let Some(token) = token {
            mock = mock.and(query_param("pageToken", token));
        }
        mock.respond_with(respond(body))
            .with_priority(if token.is_some() { 1 } else { 5 })
            .mount(&server)
            .await;
    }
    let files: Vec<String> = Client::with_base_url(server.uri())
        .list_files_items("p 1", None)
        .map(|file| file.expect("decodes"))
        .collect()
        .await;
    assert_eq!(files, ["a", "b", "c", "d"]);
}

/// Mounts `body` as the answer to `route` when `parameter` is `value`.
async fn numbered(server: &MockServer, route: &str, parameter: &str, value: &str, body: &str) {
    Mock::given(method("GET"))
        .and(path(route))
        .and(query_param(parameter, value))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_owned(), "application/json"))
        .mount(server)
        .await;
}

#[tokio::test]
async fn numbered_pages_count_from_the_default_until_a_page_is_empty() {
    let server = MockServer::start().await;
    numbered(&server, "/orders", "page", "1", r#"[{"id": "a"}, {"id": "b"}]"#).await;
    numbered(&server, "/orders", "page", "2", r#"[{"id": "c"}]"#).await;
    numbered(&server, "/orders", "page", "3", r#"[{"id": "d"}]"#).await;
    numbered(&server, "/orders", "page", "4", "[]").await;
    let params = ListOrdersParams { page: Some(1), per_page: Some(2) };
    let ids: Vec<String> = Client::with_base_url(server.uri())
        .list_orders_items(Some(&params))
        .map(|order| order.expect("decodes").id)
        .collect()
        .await;
    assert_eq!(ids, ["a", "b", "c", "d"]);
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 4, "three pages and the empty one that ends the list");
    assert!(
        requests.iter().all(|request| request.url.query().is_some_and(|query| query.contains("per_page=2")))
    );
}

#[tokio::test]
async fn an_offset_moves_past_the_items_of_each_page() {
    let server = MockServer::start().await;
    numbered(&server, "/invoices", "offset", "10", r#"{"invoices": ["a", "b", "c"], "total": 6}"#).await;
    numbered(&server, "/invoices", "offset", "13", r#"{"invoices": ["d", "e"]}"#).await;
    numbered(&server, "/invoices", "offset", "15", r#"{"invoices": ["f"]}"#).await;
    numbered(&server, "/invoices", "offset", "16", r#"{}"#).await;
    let invoices: Vec<String> = Client::with_base_url(server.uri())
        .list_invoices_items(&ListInvoicesParams { offset: 10, limit: Some(3) })
        .map(|invoice| invoice.expect("decodes"))
        .collect()
        .await;
    assert_eq!(invoices, ["a", "b", "c", "d", "e", "f"]);
}

#[tokio::test]
async fn a_server_that_ignores_the_page_number_ends_with_an_error_instead_of_looping() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/orders"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"[{"id": "a"}]"#, "application/json"))
        .mount(&server)
        .await;
    let results: Vec<_> = Client::with_base_url(server.uri()).list_orders_pages(None).collect().await;
    assert_eq!(results.len(), 3, "two pages, then the error");
    assert!(
        matches!(&results[2], Err(Error::InvalidRequest(message)) if message.contains("same page")),
        "{:?}",
        results[2]
    );
}
