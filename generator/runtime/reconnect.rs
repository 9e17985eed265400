//! Event streams that outlive a dropped connection: the request is sent again with
//! `Last-Event-ID` after the wait the server asked for (its `retry` field), as browsers'
//! `EventSource` does.

use super::stream::EventError;
use super::{Call, Error, Event, EventStream, RawResponse, Response};
use futures_core::Stream;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// When and how often a [`Reconnecting`] stream connects again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconnect {
    /// The wait before connecting again, until the server sets another with `retry`.
    pub wait: Duration,
    /// Connections in a row that may end without an event before the stream gives up.
    pub max_attempts: u32,
}

impl Default for Reconnect {
    /// Three seconds (what browsers wait), five attempts.
    fn default() -> Self {
        Self { wait: Duration::from_secs(3), max_attempts: 5 }
    }
}

type Connecting<'c, D, E> =
    Pin<Box<dyn Future<Output = Result<Response<EventStream<D>>, Error<E>>> + Send + 'c>>;

enum State<'c, D, E> {
    Connecting(Connecting<'c, D, E>),
    Reading(EventStream<D>),
    Waiting(Pin<Box<tokio::time::Sleep>>),
    Done,
}

/// Server-sent events read across connections: when one ends or fails, the request is sent
/// again with `Last-Event-ID` after the server's `retry` wait, so no event is lost or
/// repeated by a server that honours the header.
///
/// Ends when the server answers a reconnection with `204 No Content`, when
/// [`Reconnect::max_attempts`] connections in a row bring no event, or when a reconnection
/// gets an error status (yielded before the end). A request whose body is a stream or a form
/// cannot be sent again: its stream ends with its first connection.
///
/// ```ignore
/// let mut events = client.stream_events(&body).reconnecting(Reconnect::default());
/// while let Some(event) = events.next().await { println!("{:?}", event?.data); }
/// ```
#[must_use = "a stream does nothing until it is read"]
pub struct Reconnecting<'c, D, E> {
    /// The request as first sent, copied for each reconnection.
    template: Option<Call<'c, EventStream<D>, E>>,
    policy: Reconnect,
    state: State<'c, D, E>,
    /// The last event id the server set, sent back as `Last-Event-ID`.
    last_id: String,
    /// The current wait before reconnecting.
    wait: Duration,
    /// Connections in a row that ended without an event.
    empty_connections: u32,
    /// Whether the current connection brought an event.
    received: bool,
}

impl<'c, D: Send + 'c, E: Send + 'c> Call<'c, EventStream<D>, E> {
    /// Sends the request and reads its events, connecting again after the connection ends
    /// (see [`Reconnecting`]).
    pub fn reconnecting(self, policy: Reconnect) -> Reconnecting<'c, D, E> {
        let template = self.duplicate();
        Reconnecting {
            template,
            wait: policy.wait,
            policy,
            state: State::Connecting(Box::pin(self.send())),
            last_id: String::new(),
            empty_connections: 0,
            received: false,
        }
    }
}

impl<'c, D: Send + 'c, E: Send + 'c> Reconnecting<'c, D, E> {
    /// After a connection ended: wait and connect again, or end when that is not possible or
    /// too many connections in a row brought nothing.
    fn connection_ended(&mut self) {
        if !std::mem::take(&mut self.received) {
            self.empty_connections += 1;
        }
        let gave_up = self.empty_connections >= self.policy.max_attempts;
        self.state = if self.template.is_none() || gave_up {
            State::Done
        } else {
            State::Waiting(Box::pin(tokio::time::sleep(self.wait)))
        };
    }

    /// The call for the next connection, with `Last-Event-ID` when the server set one.
    fn reconnection(&self) -> Option<Call<'c, EventStream<D>, E>> {
        let call = self.template.as_ref()?.duplicate()?;
        Some(if self.last_id.is_empty() { call } else { call.header("Last-Event-ID", &self.last_id) })
    }

    /// Keeps what an event tells about reconnecting: its id and the wait it asks for.
    fn note<T>(&mut self, event: &Event<T>) {
        self.received = true;
        self.empty_connections = 0;
        if !event.id.is_empty() {
            self.last_id.clone_from(&event.id);
        }
        if let Some(retry) = event.retry {
            self.wait = retry;
        }
    }
}

impl<'c, D: Send + 'c, E: Send + 'c> Stream for Reconnecting<'c, D, E> {
    type Item = Result<Event<D>, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match &mut this.state {
                State::Connecting(connecting) => match connecting.as_mut().poll(context) {
                    Poll::Pending => return Poll::Pending,
                    // `204 No Content` asks the client to stop, documented or not.
                    Poll::Ready(Ok(response)) if response.status() == StatusCode::NO_CONTENT => {
                        this.state = State::Done;
                    }
                    Poll::Ready(Err(Error::UnexpectedStatus(response)))
                        if response.status() == StatusCode::NO_CONTENT =>
                    {
                        this.state = State::Done;
                    }
                    Poll::Ready(Ok(response)) => this.state = State::Reading(response.into_inner()),
                    // A connection that fails to open is one that brought nothing.
                    Poll::Ready(Err(Error::Transport(_))) if this.template.is_some() => {
                        this.connection_ended()
                    }
                    Poll::Ready(Err(error)) => {
                        this.state = State::Done;
                        return Poll::Ready(Some(Err(error)));
                    }
                },
                State::Reading(events) => match Pin::new(events).poll_next(context) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Some(Ok(event))) => {
                        this.note(&event);
                        return Poll::Ready(Some(Ok(event)));
                    }
                    Poll::Ready(Some(Err(EventError::Decode { event, source }))) => {
                        this.note(&event);
                        return Poll::Ready(Some(Err(event_error(event.data, Box::new(source)))));
                    }
                    // An event that is not valid text is dropped; the stream goes on.
                    Poll::Ready(Some(Err(EventError::Malformed(problem)))) => {
                        return Poll::Ready(Some(Err(event_error(String::new(), problem.into()))));
                    }
                    // The connection ended, cleanly or not: the events so far stand.
                    Poll::Ready(Some(Err(EventError::Transport(_))) | None) => this.connection_ended(),
                },
                State::Waiting(sleep) => match sleep.as_mut().poll(context) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(()) => {
                        this.state = match this.reconnection() {
                            Some(call) => State::Connecting(Box::pin(call.send())),
                            None => State::Done,
                        };
                    }
                },
                State::Done => return Poll::Ready(None),
            }
        }
    }
}

/// An event that could not be had, as the `Decode` error of a response whose body is the
/// event's data.
fn event_error<E>(data: String, source: Box<dyn std::error::Error + Send + Sync>) -> Error<E> {
    Error::Decode {
        response: Box::new(RawResponse::new(StatusCode::OK, HeaderMap::new(), data.into())),
        source,
    }
}
