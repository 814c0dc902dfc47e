//! The canonical layout of a `.sluice` file (`sluice fmt`).
//!
//! There is one layout, so diffs show only real changes: 2-space indentation,
//! one statement per line, short leaf-only blocks on one line. The tree has no
//! comments in it, so they are placed back by their byte offsets: a comment is
//! *trailing* when it shares a line with the statement before it, *leading*
//! when it stands on its own line before a statement, *dangling* before a
//! closing `}` or the end of the file, and *hoisted* above a statement when it
//! was written between the statement's own tokens (inside a list, say).

use crate::ast::{Comment, File, Keyword, Op, Stmt, Value, ValueKind};

const INDENT: &str = "  ";
/// A block is inlined only if its line, indentation included and any
/// trailing comment left out, is at most this wide.
const MAX_WIDTH: usize = 100;
/// Blocks with more statements than this are always written one per line.
const MAX_INLINE_STMTS: usize = 3;

/// Formats a parsed file; `source` is the text it was parsed from, needed to
/// place comments and keep the author's blank lines.
pub fn format_file(file: &File, source: &str) -> String {
    let mut printer = Printer {
        source,
        lines: Vec::new(),
        after_open: false,
    };
    let comments: Vec<&Comment> = file.comments.iter().collect();
    printer.top_level(&file.items, &comments);
    let mut out = printer.lines.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// The comments of one body, each given the place it will be printed at.
struct Placed<'a> {
    /// On the line of the body's `{`.
    opening: Option<&'a Comment>,
    /// Per child: own-line comments before it.
    leading: Vec<Vec<&'a Comment>>,
    /// Per child: comments between its own tokens, printed above it.
    hoisted: Vec<Vec<&'a Comment>>,
    /// Per child: comments inside its body, placed when the body is printed.
    inner: Vec<Vec<&'a Comment>>,
    /// Per child: the comment after it on its last line.
    trailing: Vec<Option<&'a Comment>>,
    /// After the last child: before `}` or at the end of the file.
    dangling: Vec<&'a Comment>,
}

struct Printer<'s> {
    source: &'s str,
    lines: Vec<String>,
    /// The last line opened a block: no blank line may follow it.
    after_open: bool,
}

impl<'s> Printer<'s> {
    /// Imports come first, as one group; every other item is set off by a
    /// blank line so that items read as separate paragraphs.
    fn top_level(&mut self, items: &[Stmt], comments: &[&Comment]) {
        let placed = self.place(items, comments, None);
        let prev_ends = Self::prev_ends(items, &placed, 0);
        let imports = (0..items.len()).filter(|&i| items[i].keyword == Keyword::Import);
        let others = (0..items.len()).filter(|&i| items[i].keyword != Keyword::Import);
        for (n, i) in imports.chain(others).enumerate() {
            let force_blank = n > 0 && items[i].keyword != Keyword::Import;
            self.child(&items[i], &placed, i, prev_ends[i], force_blank, 0);
        }
        let end = prev_ends.get(items.len()).copied().unwrap_or(0);
        self.comments(&placed.dangling, end, 0);
    }

    /// Prints a body's children and its dangling comments, keeping one blank
    /// line wherever the source had any.
    fn body(&mut self, stmts: &[Stmt], placed: &Placed<'_>, start: usize, depth: usize) {
        let prev_ends = Self::prev_ends(stmts, placed, start);
        for (i, stmt) in stmts.iter().enumerate() {
            self.child(stmt, placed, i, prev_ends[i], false, depth);
        }
        self.comments(&placed.dangling, prev_ends[stmts.len()], depth);
    }

    /// For each child, where the previous one (with its trailing comment)
    /// ends in the source; one extra entry for the end of the last child.
    fn prev_ends(stmts: &[Stmt], placed: &Placed<'_>, start: usize) -> Vec<usize> {
        let mut ends = vec![start];
        for (stmt, trailing) in stmts.iter().zip(&placed.trailing) {
            ends.push(trailing.map_or(stmt_end(stmt), |c| c.span.end as usize));
        }
        ends
    }

    /// Prints one child with its leading, hoisted and trailing comments.
    fn child(
        &mut self,
        stmt: &Stmt,
        placed: &Placed<'_>,
        i: usize,
        prev_end: usize,
        force_blank: bool,
        depth: usize,
    ) {
        let mut at = prev_end;
        let mut blank = force_blank;
        for comment in &placed.leading[i] {
            self.blank_line(blank || self.gap_has_blank(at, comment.span.start as usize));
            self.push(depth, &comment_text(comment));
            at = comment.span.end as usize;
            blank = false;
        }
        self.blank_line(blank || self.gap_has_blank(at, stmt.span.start as usize));
        for comment in &placed.hoisted[i] {
            self.push(depth, &comment_text(comment));
        }
        self.stmt(stmt, &placed.inner[i], depth);
        if let Some(comment) = placed.trailing[i] {
            let last = self.lines.last_mut().expect("a statement was printed");
            last.push(' ');
            last.push_str(&comment_text(comment));
        }
    }

    /// Prints comments that follow the last statement of a body or file.
    fn comments(&mut self, comments: &[&Comment], mut at: usize, depth: usize) {
        for comment in comments {
            self.blank_line(self.gap_has_blank(at, comment.span.start as usize));
            self.push(depth, &comment_text(comment));
            at = comment.span.end as usize;
        }
    }

    /// Prints a statement, inline when its body is short and simple.
    fn stmt(&mut self, stmt: &Stmt, inner: &[&Comment], depth: usize) {
        let header = head(stmt);
        let Some(body) = &stmt.body else {
            self.push(depth, &header);
            return;
        };
        if inner.is_empty() && (body.is_empty() || may_inline(stmt.keyword)) {
            if let Some(line) = inline(depth, &header, body) {
                self.push(0, &line);
                return;
            }
        }
        let open = self.open_brace(stmt);
        let placed = self.place(body, inner, Some(open));
        let mut first = format!("{header} {{");
        if let Some(comment) = placed.opening {
            first.push(' ');
            first.push_str(&comment_text(comment));
        }
        self.push(depth, &first);
        self.after_open = true;
        let start = placed.opening.map_or(open + 1, |c| c.span.end as usize);
        self.body(body, &placed, start, depth + 1);
        self.push(depth, "}");
    }

    /// Sorts the comments of one body (or of the file) into their places.
    fn place<'a>(
        &self,
        stmts: &[Stmt],
        comments: &[&'a Comment],
        open: Option<usize>,
    ) -> Placed<'a> {
        let n = stmts.len();
        let mut placed = Placed {
            opening: None,
            leading: vec![Vec::new(); n],
            hoisted: vec![Vec::new(); n],
            inner: vec![Vec::new(); n],
            trailing: vec![None; n],
            dangling: Vec::new(),
        };
        let braces: Vec<Option<usize>> = stmts
            .iter()
            .map(|s| s.body.as_ref().map(|_| self.open_brace(s)))
            .collect();
        for &comment in comments {
            let at = comment.span.start as usize;
            let within = |s: &Stmt| s.span.start as usize <= at && at < stmt_end(s);
            if let Some(i) = stmts.iter().position(within) {
                match braces[i] {
                    Some(brace) if at > brace => placed.inner[i].push(comment),
                    _ => placed.hoisted[i].push(comment),
                }
                continue;
            }
            let prev = stmts.iter().rposition(|s| stmt_end(s) <= at);
            let same_line = |from: usize| !self.source[from..at].contains('\n');
            match (prev, open) {
                (Some(p), _) if same_line(stmt_end(&stmts[p])) => {
                    placed.trailing[p] = Some(comment);
                }
                (None, Some(brace)) if same_line(brace + 1) => placed.opening = Some(comment),
                _ => match stmts.iter().position(|s| s.span.start >= comment.span.end) {
                    Some(next) => placed.leading[next].push(comment),
                    None => placed.dangling.push(comment),
                },
            }
        }
        placed
    }

    /// Where the `{` of a statement's body is: the first `{` after its
    /// header tokens, skipping comments (which may contain a `{`). Falls back
    /// to the header's end if `source` is not the text the tree came from.
    fn open_brace(&self, stmt: &Stmt) -> usize {
        let header = header_end(stmt);
        let bytes = self.source.as_bytes();
        let mut at = header;
        while at < (stmt.span.end as usize).min(bytes.len()) {
            match bytes[at] {
                b'{' => return at,
                b'#' => at += self.source[at..].find('\n').unwrap_or(0),
                _ => {}
            }
            at += 1;
        }
        header
    }

    /// Whether the source between two offsets holds an empty line.
    fn gap_has_blank(&self, from: usize, to: usize) -> bool {
        let Some(gap) = self.source.get(from..to) else {
            return false;
        };
        let mut lines: Vec<&str> = gap.split('\n').collect();
        lines.pop();
        lines.iter().skip(1).any(|line| line.trim().is_empty())
    }

    /// Adds a blank line, never at the start of the file or of a block.
    fn blank_line(&mut self, wanted: bool) {
        if wanted && !self.after_open && self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    fn push(&mut self, depth: usize, text: &str) {
        self.lines.push(indented(depth, text));
        self.after_open = false;
    }
}

/// Where a statement's last token ends. Not `span.end`: the parser's span of
/// a statement ending in an optional part (`region a`, `rule r warn`,
/// `bake 2h`) runs on over the white space and comments after it.
fn stmt_end(stmt: &Stmt) -> usize {
    match stmt.body {
        Some(_) => stmt.span.end as usize,
        None => header_end(stmt),
    }
}

/// The end of a statement's tokens before its body.
fn header_end(stmt: &Stmt) -> usize {
    let spans = [Some(stmt.keyword_span), stmt.final_span]
        .into_iter()
        .chain([
            stmt.name.as_ref().map(|n| n.span),
            stmt.extends.as_ref().map(|e| e.span),
        ])
        .chain(stmt.values.iter().map(|v| Some(v.span)));
    spans
        .flatten()
        .map(|s| s.end as usize)
        .max()
        .unwrap_or(stmt.span.start as usize)
}

/// Small leaf blocks read well on one line (`region a { cells [..] }`,
/// `wave 2 { regions [b] bake 4h }`); stages, pipelines and other items that
/// people scan line by line always get one statement per line.
fn may_inline(keyword: Keyword) -> bool {
    use Keyword as K;
    matches!(
        keyword,
        K::Region
            | K::Alarm
            | K::OneBox
            | K::Rolling
            | K::Review
            | K::Bake
            | K::Wave
            | K::Check
            | K::Rule
    )
}

/// The one-line form `head { a b }`, if the body is short enough for it.
fn inline(depth: usize, header: &str, body: &[Stmt]) -> Option<String> {
    if body.is_empty() {
        return Some(indented(depth, &format!("{header} {{}}")));
    }
    if body.len() > MAX_INLINE_STMTS || body.iter().any(|s| s.body.is_some()) {
        return None;
    }
    let inner: Vec<String> = body.iter().map(head).collect();
    let line = indented(depth, &format!("{header} {{ {} }}", inner.join(" ")));
    (line.chars().count() <= MAX_WIDTH).then_some(line)
}

/// A statement without its body: `[final] keyword [name] [extends X] [+=] values`.
fn head(stmt: &Stmt) -> String {
    let mut parts: Vec<String> = Vec::new();
    if stmt.is_final() {
        parts.push("final".into());
    }
    if !stmt.keyword.as_str().is_empty() {
        parts.push(stmt.keyword.as_str().into());
    }
    let values = stmt.values.iter().map(value);
    if stmt.keyword == Keyword::Drop {
        // `drop stage NAME`: the kind is a value, the target is the name.
        parts.extend(values);
        parts.extend(stmt.name_text().map(String::from));
        return parts.join(" ");
    }
    parts.extend(stmt.name_text().map(String::from));
    if let Some(parent) = &stmt.extends {
        parts.push(format!("extends {}", parent.text));
    }
    if stmt.op == Op::Append {
        parts.push("+=".into());
    }
    parts.extend(values);
    parts.join(" ")
}

/// A value in its canonical spelling.
fn value(value: &Value) -> String {
    match &value.kind {
        ValueKind::Ident(s) => s.clone(),
        ValueKind::Str(s) => quote(s),
        ValueKind::Int(n) => n.to_string(),
        ValueKind::Duration(d) => d.to_string(),
        ValueKind::Percent(p) => format!("{p}%"),
        ValueKind::Time(t) => t.to_string(),
        ValueKind::TimeRange(a, b) => format!("{a}-{b}"),
        ValueKind::Day(d) => d.as_str().into(),
        ValueKind::DayRange(a, b) => format!("{}..{}", a.as_str(), b.as_str()),
        ValueKind::Date(d) => d.to_string(),
        ValueKind::DateRange(a, b) => format!("{a}..{b}"),
        ValueKind::List(items) => {
            let items: Vec<String> = items.iter().map(self::value).collect();
            format!("[{}]", items.join(", "))
        }
        ValueKind::Probe(provider, text) => format!("{} {}", provider.as_str(), quote(text)),
    }
}

/// A string literal that parses back to exactly `text`.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:02x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn comment_text(comment: &Comment) -> String {
    format!("#{}", comment.text.trim_end())
}

fn indented(depth: usize, text: &str) -> String {
    format!("{}{text}", INDENT.repeat(depth))
}
