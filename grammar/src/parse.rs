//! From pest pairs to the typed syntax tree.

use pest::iterators::Pair;
use pest::Parser as _;

use crate::ast::{File, Ident, Keyword, Op, Provider, Stmt, Value, ValueKind};
use crate::error::{SyntaxError, SyntaxErrorKind};
use crate::expected::describe_expected;
use crate::keywords::{is_keyword_token, is_named, keyword_of};
use crate::span::{FileId, Span};
use crate::value::{parse_date, Day, Duration, Time};
use crate::{comments, Rule, SluiceParser};

/// Upper bound on the parser's rule calls per file: turns pathological input
/// into a diagnostic instead of a hang.
const CALL_LIMIT: usize = 50_000_000;

/// Parses one file. On a syntax error the file is `None` and the error says
/// what was expected; value errors (a bad date, `120%`) keep the file and are
/// all reported.
pub fn parse_file(id: FileId, text: &str) -> (Option<File>, Vec<SyntaxError>) {
    pest::set_call_limit(std::num::NonZeroUsize::new(CALL_LIMIT));
    if let Some(span) = crate::depth::too_deep(id, text) {
        let error = SyntaxError {
            kind: SyntaxErrorKind::TooDeep,
            span,
            message: format!(
                "blocks are nested more than {} deep",
                crate::depth::MAX_DEPTH
            ),
            help: "close the blocks above this one; the language never nests this deep".into(),
        };
        return (None, vec![error]);
    }
    match SluiceParser::parse(Rule::file, text) {
        Ok(mut pairs) => {
            let mut builder = Builder {
                file: id,
                errors: Vec::new(),
            };
            let file_pair = pairs.next();
            let items = file_pair
                .map(|pair| {
                    pair.into_inner()
                        .filter(|p| p.as_rule() != Rule::EOI)
                        .map(|p| builder.stmt(p))
                        .collect()
                })
                .unwrap_or_default();
            let file = File {
                id,
                items,
                comments: comments::collect(id, text),
            };
            (Some(file), builder.errors)
        }
        Err(error) => (None, vec![syntax_error(id, text, error)]),
    }
}

fn syntax_error(id: FileId, text: &str, error: pest::error::Error<Rule>) -> SyntaxError {
    let pos = match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let (message, help) = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            describe_expected(positives, found_at(text, pos))
        }
        pest::error::ErrorVariant::CustomError { message } => {
            if message.contains("call limit") {
                return SyntaxError {
                    kind: SyntaxErrorKind::TooDeep,
                    span: Span::new(id, pos, pos),
                    message: "this file is too complex to parse".into(),
                    help: "split the file, or remove the deeply repeated or nested text".into(),
                };
            }
            (message.clone(), "fix the syntax at this place".into())
        }
    };
    if let Some(error) = unterminated_string(id, text, pos) {
        return error;
    }
    // underline the whole word that was not expected, else one character
    let word = text[pos..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_');
    let end = match word.map(char::len_utf8).sum::<usize>() {
        0 => next_char_boundary(text, pos),
        len => pos + len,
    };
    SyntaxError {
        kind: SyntaxErrorKind::Parse,
        span: Span::new(id, pos, end),
        message,
        help,
    }
}

/// A `"` with no closing quote on its line gets its own message.
fn unterminated_string(id: FileId, text: &str, pos: usize) -> Option<SyntaxError> {
    let rest = text.get(pos..)?;
    let line = rest.strip_prefix('"')?.split('\n').next()?;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return None,
            _ => escaped = false,
        }
    }
    Some(SyntaxError {
        kind: SyntaxErrorKind::Parse,
        span: Span::new(id, pos, pos + 1 + line.trim_end_matches('\r').len()),
        message: "this string is not closed on its line".into(),
        help: "end the string with `\"`; strings stay on one line, write `\\n` for a line break"
            .into(),
    })
}

/// The token at `pos`, for "found ..." in messages.
fn found_at(text: &str, pos: usize) -> Option<String> {
    let rest = text.get(pos..)?;
    let token: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(20)
        .collect();
    (!token.is_empty()).then_some(token)
}

fn next_char_boundary(text: &str, pos: usize) -> usize {
    match text.get(pos..).and_then(|rest| rest.chars().next()) {
        Some(c) => pos + c.len_utf8(),
        None => pos,
    }
}

struct Builder {
    file: FileId,
    errors: Vec<SyntaxError>,
}

impl Builder {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, s.start(), s.end())
    }

    fn stmt(&mut self, pair: Pair<'_, Rule>) -> Stmt {
        let rule = pair.as_rule();
        let span = self.span(&pair);
        let keyword = keyword_of(rule).unwrap_or(Keyword::Param);
        let named = is_named(keyword, rule);
        let mut stmt = Stmt {
            keyword,
            keyword_span: Span::new(self.file, span.start as usize, span.start as usize),
            final_span: None,
            name: None,
            extends: None,
            op: Op::Set,
            values: Vec::new(),
            body: None,
            span,
        };
        if rule == Rule::probe {
            // An alarm's provider line: the whole line is one probe value.
            stmt.values.extend(self.value(pair));
            return stmt;
        }
        let mut keyword_seen = false;
        // pest's span of a rule ending in an absent optional part runs on
        // over the white space and comments it skipped: end at the last token
        if let Some(last) = pair.clone().into_inner().last() {
            stmt.span.end = last.as_span().end() as u32;
        }
        for inner in pair.into_inner() {
            let inner_rule = inner.as_rule();
            let inner_span = self.span(&inner);
            match inner_rule {
                Rule::final_ => stmt.final_span = Some(inner_span),
                Rule::append => stmt.op = Op::Append,
                Rule::open_brace => stmt.body = Some(Vec::new()),
                Rule::close_brace => {}
                Rule::extends if keyword != Keyword::AppliesTo => {
                    stmt.extends = inner
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::ident)
                        .map(|p| self.ident(&p));
                }
                Rule::ident | Rule::wave_name if named && stmt.name.is_none() => {
                    stmt.name = Some(self.ident(&inner));
                }
                Rule::wave_name if matches!(keyword, Keyword::Wave | Keyword::Drop) => {
                    stmt.name = Some(self.ident(&inner));
                }
                Rule::drop_kind => {
                    let word = inner.as_str().trim().to_string();
                    stmt.values.push(Value {
                        kind: ValueKind::Ident(word),
                        span: inner_span,
                    });
                }
                r if is_keyword_token(r) => {
                    if !keyword_seen {
                        stmt.keyword_span = inner_span;
                        keyword_seen = true;
                    } else if matches!(r, Rule::k_calendar) {
                        stmt.keyword_span = stmt.keyword_span.to(inner_span);
                    } else {
                        // fixed words used as values: `rest`, `all`, `tag`, `cell`, ...
                        stmt.values.push(Value {
                            kind: ValueKind::Ident(inner.as_str().to_string()),
                            span: inner_span,
                        });
                    }
                }
                // In `datapoints N PROBE` the probe is a value, not a child.
                Rule::probe if keyword != Keyword::Alarm => {
                    stmt.values.extend(self.value(inner));
                }
                r if keyword_of(r).is_some() => {
                    let child = self.stmt(inner);
                    stmt.body.get_or_insert_with(Vec::new).push(child);
                }
                _ => {
                    if let Some(value) = self.value(inner) {
                        stmt.values.push(value);
                    }
                }
            }
        }
        if matches!(keyword, Keyword::Holiday | Keyword::Probe | Keyword::Param) {
            stmt.keyword_span = Span::new(self.file, span.start as usize, span.start as usize);
        }
        stmt
    }

    fn ident(&self, pair: &Pair<'_, Rule>) -> Ident {
        Ident {
            text: pair.as_str().to_string(),
            span: self.span(pair),
        }
    }

    fn invalid(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.errors.push(SyntaxError {
            kind: SyntaxErrorKind::InvalidValue,
            span,
            message: message.into(),
            help: help.into(),
        });
    }

    fn value(&mut self, pair: Pair<'_, Rule>) -> Option<Value> {
        let span = self.span(&pair);
        let text = pair.as_str();
        let kind = match pair.as_rule() {
            Rule::ident | Rule::wave_name | Rule::traffic_level | Rule::severity => {
                ValueKind::Ident(text.to_string())
            }
            Rule::string => ValueKind::Str(self.unescape(&pair)),
            Rule::integer => match text.parse::<u64>() {
                Ok(n) => ValueKind::Int(n),
                Err(_) => {
                    self.invalid(
                        span,
                        format!("`{}` is too large", shown(text)),
                        "use a smaller number",
                    );
                    ValueKind::Int(u64::MAX)
                }
            },
            Rule::duration => match Duration::parse(text) {
                Some(d) if d <= Duration::MAX => ValueKind::Duration(d),
                _ => {
                    self.invalid(
                        span,
                        format!("the duration `{}` is longer than a year", shown(text)),
                        "durations are at most `365d`",
                    );
                    ValueKind::Duration(Duration::MAX)
                }
            },
            Rule::percent => {
                let digits = text.trim_end_matches('%');
                let n = digits.parse::<u32>().unwrap_or(0);
                if !(1..=100).contains(&n) {
                    self.invalid(
                        span,
                        format!("`{}` is not a percentage between 1% and 100%", shown(text)),
                        "write a share of capacity from `1%` to `100%`",
                    );
                }
                ValueKind::Percent(n.min(100))
            }
            Rule::time => ValueKind::Time(self.time(span, text)),
            Rule::time_range => {
                let mut parts = pair.into_inner();
                let (a, b) = (parts.next()?, parts.next()?);
                let (start_ok, end_ok) = (
                    Time::parse(a.as_str()).is_some(),
                    Time::parse(b.as_str()).is_some(),
                );
                let start = self.time(self.span(&a), a.as_str());
                let end = self.time(self.span(&b), b.as_str());
                if start_ok && end_ok && (start.minutes == 24 * 60 || end <= start) {
                    self.invalid(
                        span,
                        format!("the time range `{text}` is empty"),
                        "the end must come after the start on the same day, like `09:00-16:00`",
                    );
                }
                ValueKind::TimeRange(start, end)
            }
            Rule::day => ValueKind::Day(Day::parse(text)?),
            Rule::day_spec => {
                let days: Vec<Day> = pair
                    .into_inner()
                    .filter_map(|p| Day::parse(p.as_str()))
                    .collect();
                match days.as_slice() {
                    [one] => ValueKind::Day(*one),
                    [from, to] => {
                        if to < from {
                            self.invalid(
                                span,
                                format!("the day range `{text}` wraps past `sun`"),
                                format!(
                                    "write it as two lines, `{}..sun` and `mon..{}`",
                                    from.as_str(),
                                    to.as_str()
                                ),
                            );
                        }
                        ValueKind::DayRange(*from, *to)
                    }
                    _ => return None,
                }
            }
            Rule::date => ValueKind::Date(self.date(span, text)),
            Rule::date_spec => {
                let parts: Vec<(Span, String)> = pair
                    .into_inner()
                    .map(|p| (self.span(&p), p.as_str().to_string()))
                    .collect();
                let dates: Vec<_> = parts.iter().map(|(s, t)| self.date(*s, t)).collect();
                match dates.as_slice() {
                    [one] => ValueKind::Date(*one),
                    [from, to] => {
                        if to < from {
                            self.invalid(
                                span,
                                format!("the date range `{text}` ends before it starts"),
                                "write the earlier date first",
                            );
                        }
                        ValueKind::DateRange(*from, *to)
                    }
                    _ => return None,
                }
            }
            Rule::ident_list | Rule::string_list => {
                let items = pair
                    .into_inner()
                    .filter(|p| matches!(p.as_rule(), Rule::ident | Rule::string))
                    .filter_map(|p| self.value(p))
                    .collect();
                ValueKind::List(items)
            }
            Rule::probe => {
                let mut inner = pair.into_inner();
                let provider = match inner.next()?.as_str() {
                    "cloudwatch" => Provider::Cloudwatch,
                    "prometheus" => Provider::Prometheus,
                    _ => Provider::Command,
                };
                let text = inner.next().map(|s| self.unescape(&s)).unwrap_or_default();
                ValueKind::Probe(provider, text)
            }
            _ => return None,
        };
        Some(Value { kind, span })
    }

    fn time(&mut self, span: Span, text: &str) -> Time {
        Time::parse(text).unwrap_or_else(|| {
            self.invalid(
                span,
                format!("`{text}` is not a time of day"),
                "write a 24-hour time from `00:00` to `23:59`, or `24:00` as an end",
            );
            Time { minutes: 0 }
        })
    }

    fn date(&mut self, span: Span, text: &str) -> crate::value::Date {
        parse_date(text).unwrap_or_else(|| {
            self.invalid(
                span,
                format!("`{text}` is not a calendar date"),
                "write a real date as `YYYY-MM-DD`, like `2026-12-25`",
            );
            crate::value::Date::constant(1970, 1, 1)
        })
    }

    fn unescape(&mut self, pair: &Pair<'_, Rule>) -> String {
        let raw = pair.as_str();
        let inner = &raw[1..raw.len().saturating_sub(1).max(1)];
        let base = self.span(pair).start as usize + 1;
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, '"')) => out.push('"'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, 'u')) => {
                    let hex: String = chars
                        .by_ref()
                        .map(|(_, c)| c)
                        .skip(1)
                        .take_while(|c| *c != '}')
                        .collect();
                    let span = Span::new(self.file, base + i, base + i + hex.len() + 4);
                    match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        // NUL cannot pass through a shell or most CI systems
                        Some('\0') => self.invalid(
                            span,
                            "a string may not contain NUL (`\\u{0}`)",
                            "remove it: no shell or CI system can pass it on",
                        ),
                        Some(ch) => out.push(ch),
                        None => self.invalid(
                            span,
                            format!("`\\u{{{hex}}}` is not a Unicode character"),
                            "use a Unicode scalar value, like `\\u{e9}`",
                        ),
                    }
                }
                _ => {}
            }
        }
        out
    }
}

/// A literal as a message quotes it: whole when short, else its start and
/// its length, so a 100 MB number is not printed back in full.
fn shown(text: &str) -> String {
    const MAX: usize = 40;
    if text.len() <= MAX {
        return text.to_string();
    }
    let mut end = 20;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} characters)", &text[..end], text.chars().count())
}
