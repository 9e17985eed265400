//! Paged list operations as streams: each page's next link (a body field or the `Link`
//! header), cursor or number is followed with the same credentials, retries and decoding
//! until there is none.

use super::{Call, Error, Response};
use futures_core::Stream;
use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

type PageFuture<'c, T, E> = Pin<Box<dyn Future<Output = Result<Response<T>, Error<E>>> + Send + 'c>>;

/// How the next page is asked for, given what the last one said.
enum Follow<'c, T, E> {
    /// A `GET` of the next link, with the first call's credentials and decoding.
    Link { template: Box<Call<'c, T, E>>, next_link: fn(&Response<T>) -> Option<String> },
    /// The operation again, with the token in its cursor parameter.
    Cursor {
        next_token: fn(&Response<T>) -> Option<String>,
        next_call: Box<dyn Fn(String) -> Call<'c, T, E> + Send + 'c>,
    },
    /// The operation again, with the next page number or offset.
    Number(Box<Counter<'c, T, E>>),
}

/// How a numbered list moves on to its next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    /// The parameter numbers pages: the next page is one more.
    Pages,
    /// The parameter is an offset into the list: the next page starts after this page's items.
    Offset,
}

/// The state of a numbered list: where the next page starts.
struct Counter<'c, T, E> {
    numbering: Numbering,
    /// The page number or offset of the page last asked for.
    position: u64,
    /// How many items a page holds.
    count: fn(&Response<T>) -> usize,
    /// The call for a page number or offset; `None` when the parameter cannot hold it.
    next_call: Box<dyn Fn(u64) -> Option<Call<'c, T, E>> + Send + 'c>,
    /// Whether a page is the same as the one before: a server that ignores the parameter
    /// would otherwise be read forever.
    repeats: Box<dyn FnMut(&T) -> bool + Send + 'c>,
}

impl<'c, T, E> Counter<'c, T, E> {
    /// The next page's call after `page`, or why there is none.
    fn after(&mut self, page: &Response<T>) -> Result<Option<Call<'c, T, E>>, String> {
        let count = (self.count)(page);
        if count == 0 {
            return Ok(None);
        }
        if (self.repeats)(page.body()) {
            return Err(format!(
                "the server sent the same page for {} {} as for the one before; stopped instead of looping",
                match self.numbering {
                    Numbering::Pages => "page",
                    Numbering::Offset => "offset",
                },
                self.position
            ));
        }
        let step = match self.numbering {
            Numbering::Pages => 1,
            Numbering::Offset => u64::try_from(count).unwrap_or(u64::MAX),
        };
        let Some(position) = self.position.checked_add(step) else { return Ok(None) };
        self.position = position;
        Ok((self.next_call)(position))
    }
}

/// The pages of a list operation, fetched one at a time as the stream is read.
///
/// Ends after a page without a next link, token or items. A next link seen before (a server
/// that loops), or a numbered page the same as the one before, ends it with
/// [`Error::InvalidRequest`] rather than repeating forever. Links to another host than the
/// client's base URL are followed without the client's credentials.
#[must_use = "a stream does nothing until it is read"]
pub struct Pages<'c, T, E> {
    pending: Option<Call<'c, T, E>>,
    follow: Follow<'c, T, E>,
    in_flight: Option<PageFuture<'c, T, E>>,
    seen: HashSet<String>,
    /// Why the stream stopped early: reported after the page that showed it.
    looped: Option<String>,
}

impl<'c, T: Send + 'c, E: Send + 'c> Pages<'c, T, E> {
    /// Pages starting with `first`; `next_link` reads a page's link to the next one.
    pub fn new(first: Call<'c, T, E>, next_link: fn(&Response<T>) -> Option<String>) -> Self {
        let follow = Follow::Link { template: Box::new(first.template()), next_link };
        Self::starting(first, follow)
    }

    /// Pages starting with `first`; `next_token` reads a page's cursor for the next one, and
    /// `next_call` makes the call that asks for it.
    pub fn with_cursor(
        first: Call<'c, T, E>,
        next_token: fn(&Response<T>) -> Option<String>,
        next_call: impl Fn(String) -> Call<'c, T, E> + Send + 'c,
    ) -> Self {
        Self::starting(first, Follow::Cursor { next_token, next_call: Box::new(next_call) })
    }

    /// Pages starting with `first`, which asked for page number (or offset) `position`;
    /// `count` reads how many items a page holds, and `next_call` asks for another position.
    /// Ends after a page with no items.
    pub fn numbered(
        first: Call<'c, T, E>,
        numbering: Numbering,
        position: u64,
        count: fn(&Response<T>) -> usize,
        next_call: impl Fn(u64) -> Option<Call<'c, T, E>> + Send + 'c,
    ) -> Self
    where
        T: PartialEq + Clone,
    {
        let mut previous: Option<T> = None;
        let repeats =
            move |page: &T| previous.replace(page.clone()).is_some_and(|previous| previous == *page);
        let counter = Counter {
            numbering,
            position,
            count,
            next_call: Box::new(next_call),
            repeats: Box::new(repeats),
        };
        Self::starting(first, Follow::Number(Box::new(counter)))
    }

    fn starting(first: Call<'c, T, E>, follow: Follow<'c, T, E>) -> Self {
        Self { pending: Some(first), follow, in_flight: None, seen: HashSet::new(), looped: None }
    }

    /// The call for the page after `page`, if there is one.
    fn next(&mut self, page: &Response<T>) -> Option<Call<'c, T, E>> {
        let link = match &mut self.follow {
            Follow::Link { next_link, .. } => next_link(page),
            Follow::Cursor { next_token, .. } => next_token(page),
            Follow::Number(counter) => {
                return counter.after(page).unwrap_or_else(|problem| {
                    self.looped = Some(problem);
                    None
                });
            }
        };
        let link = link.filter(|link| !link.is_empty())?;
        if !self.seen.insert(link.clone()) {
            self.looped = Some(format!(
                "the server pointed to the next page `{link}` twice; stopped instead of looping"
            ));
            return None;
        }
        match &self.follow {
            Follow::Link { template, .. } => Some(template.follow(&link)),
            Follow::Cursor { next_call, .. } => Some(next_call(link)),
            Follow::Number(_) => None,
        }
    }
}

impl<'c, T: Send + 'c, E: Send + 'c> Stream for Pages<'c, T, E> {
    type Item = Result<Response<T>, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(problem) = this.looped.take() {
            return Poll::Ready(Some(Err(Error::InvalidRequest(problem))));
        }
        if this.in_flight.is_none() {
            let Some(call) = this.pending.take() else { return Poll::Ready(None) };
            this.in_flight = Some(Box::pin(call.send()));
        }
        let Some(in_flight) = this.in_flight.as_mut() else { return Poll::Ready(None) };
        let page = match in_flight.as_mut().poll(context) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(page) => page,
        };
        this.in_flight = None;
        if let Ok(response) = &page {
            this.pending = this.next(response);
        }
        Poll::Ready(Some(page))
    }
}

/// The items of every page of a list operation, in order.
#[must_use = "a stream does nothing until it is read"]
pub struct Items<'c, T, I, E> {
    pages: Pages<'c, T, E>,
    items: fn(T) -> Vec<I>,
    buffered: VecDeque<I>,
}

impl<'c, T: Send + 'c, I, E: Send + 'c> Items<'c, T, I, E> {
    /// The items `items` takes out of each of `pages`.
    pub fn new(pages: Pages<'c, T, E>, items: fn(T) -> Vec<I>) -> Self {
        Self { pages, items, buffered: VecDeque::new() }
    }
}

impl<'c, T: Send + 'c, I: Unpin, E: Send + 'c> Stream for Items<'c, T, I, E> {
    type Item = Result<I, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(context) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => this.buffered.extend((this.items)(page.into_inner())),
            }
        }
    }
}

/// The `rel="next"` target of a `Link` header (RFC 8288), as GitHub pages its lists.
pub fn link_header_next(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers.get_all(reqwest::header::LINK).iter().filter_map(|value| value.to_str().ok()).find_map(|value| {
        value.split(',').find_map(|link| {
            let (target, parameters) = link.split_once(';')?;
            let is_next = parameters.split(';').any(|parameter| {
                let parameter = parameter.trim().to_ascii_lowercase();
                parameter == "rel=\"next\"" || parameter == "rel=next"
            });
            is_next.then(|| target.trim().trim_start_matches('<').trim_end_matches('>').to_owned())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::link_header_next;
    use reqwest::header::{HeaderMap, HeaderValue, LINK};

    #[test]
    fn the_next_link_of_a_link_header() {
        let mut headers = HeaderMap::new();
        headers.insert(
            LINK,
            HeaderValue::from_static(
                r#"<https://api.github.com/repos?page=1>; rel="prev", <https://api.github.com/repos?page=3>; rel="next""#,
            ),
        );
        assert_eq!(link_header_next(&headers).as_deref(), Some("https://api.github.com/repos?page=3"));
        headers.insert(LINK, HeaderValue::from_static(r#"<https://x/?page=1>; rel="first""#));
        assert_eq!(link_header_next(&headers), None);
    }
}
