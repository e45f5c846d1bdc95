//! Server-sent events (`text/event-stream`, WHATWG HTML 9.2): how an MCP server (streamable
//! HTTP) answers a JSON-RPC POST. Each event's `data:` lines are joined; its JSON, if any, is
//! read as JSON.

use serde_json::Value;

/// Most events read from one answer; the rest are counted, not kept.
pub const MAX_EVENTS: usize = 200;

/// One event of a stream.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Its `event:` name (`message` when none is given).
    pub name: String,
    /// Its `id:`, if any.
    pub id: Option<String>,
    /// Its data: the `data:` lines joined by newlines.
    pub data: String,
}

impl Event {
    /// The data as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_str(&self.data).ok()
    }
}

/// Whether a `Content-Type` is an event stream.
pub fn is_event_stream(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("text/event-stream"))
}

/// The events of a stream body, at most [`MAX_EVENTS`], and how many more there were.
pub fn parse(body: &str) -> (Vec<Event>, usize) {
    let mut events = Vec::new();
    let mut dropped = 0;
    let (mut name, mut id, mut data): (Option<String>, Option<String>, Option<String>) =
        (None, None, None);
    for line in body.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)) {
        if line.is_empty() {
            if let Some(d) = data.take() {
                if events.len() < MAX_EVENTS {
                    events.push(Event {
                        name: name.take().unwrap_or_else(|| "message".into()),
                        id: id.take(),
                        data: d,
                    });
                } else {
                    dropped += 1;
                }
            }
            name = None;
            continue;
        }
        if line.starts_with(':') {
            continue; // a comment (keep-alive)
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "event" => name = Some(value.into()),
            "id" => id = Some(value.into()),
            "data" => match &mut data {
                Some(d) => {
                    d.push('\n');
                    d.push_str(value);
                }
                None => data = Some(value.into()),
            },
            _ => {}
        }
    }
    // A last event without its blank line is still an event here (the stream ended).
    if let Some(d) = data {
        if events.len() < MAX_EVENTS {
            events.push(Event {
                name: name.unwrap_or_else(|| "message".into()),
                id,
                data: d,
            });
        } else {
            dropped += 1;
        }
    }
    (events, dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_mcp_answer() {
        let body = "event: message\r\nid: 1\r\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\r\ndata: \"result\":{}}\r\n\r\n: keep-alive\n\ndata: plain\n";
        let (events, dropped) = parse(body);
        assert_eq!(dropped, 0);
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].name, "message");
        assert_eq!(events[0].id.as_deref(), Some("1"));
        assert_eq!(events[0].json().unwrap()["result"], serde_json::json!({}));
        assert_eq!(events[1].data, "plain");
        assert!(events[1].json().is_none());
    }

    #[test]
    fn content_types() {
        assert!(is_event_stream("text/event-stream; charset=utf-8"));
        assert!(is_event_stream("Text/Event-Stream"));
        assert!(!is_event_stream("application/json"));
    }

    #[test]
    fn bounded() {
        let body = "data: x\n\n".repeat(MAX_EVENTS + 5);
        let (events, dropped) = parse(&body);
        assert_eq!((events.len(), dropped), (MAX_EVENTS, 5));
    }
}
