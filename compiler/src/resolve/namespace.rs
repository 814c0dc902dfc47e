//! One namespace per compilation: every top-level name, defined once.

use std::collections::HashMap;

use sluice_grammar::{File, FileId, Keyword, Span, Stmt};

use crate::diagnostic::{Code, Diagnostic, Diagnostics};

pub struct Namespace<'a> {
    items: HashMap<&'a str, &'a Stmt>,
    /// Per file, the spans of its items with their names, sorted by start.
    owners: HashMap<FileId, Vec<(Span, &'a str)>>,
}

impl<'a> Namespace<'a> {
    /// Collects every item; a second definition of a name is reported and
    /// ignored.
    pub fn build(files: &'a [Option<File>], diagnostics: &mut Diagnostics) -> Self {
        let mut items: HashMap<&'a str, &'a Stmt> = HashMap::new();
        let mut owners: HashMap<FileId, Vec<(Span, &'a str)>> = HashMap::new();
        for file in files.iter().flatten() {
            for item in file.items.iter().filter(|i| i.keyword != Keyword::Import) {
                let Some(name) = &item.name else { continue };
                owners
                    .entry(file.id)
                    .or_default()
                    .push((item.span, &name.text));
                if let Some(first) = items.get(name.text.as_str()) {
                    diagnostics.push(duplicate(item, first));
                    continue;
                }
                items.insert(&name.text, item);
            }
        }
        Namespace { items, owners }
    }

    pub fn get(&self, name: &str) -> Option<&'a Stmt> {
        self.items.get(name).copied()
    }

    /// The item of this kind with this name.
    pub fn get_kind(&self, name: &str, keyword: Keyword) -> Option<&'a Stmt> {
        self.get(name).filter(|s| s.keyword == keyword)
    }

    /// Names of all items of one kind, for suggestions.
    pub fn names_of(&self, keyword: Keyword) -> impl Iterator<Item = &'a str> + Clone + '_ {
        self.items
            .iter()
            .filter(move |(_, s)| s.keyword == keyword)
            .map(|(n, _)| *n)
    }

    /// All items of one kind, in a stable order (file, position).
    pub fn items_of(&self, keyword: Keyword) -> Vec<&'a Stmt> {
        let mut out: Vec<&'a Stmt> = self
            .items
            .values()
            .copied()
            .filter(|s| s.keyword == keyword)
            .collect();
        out.sort_by_key(|s| (s.span.file, s.span.start));
        out
    }

    /// The name of the top-level item whose text contains this span.
    pub fn owner_of(&self, span: Span) -> Option<&'a str> {
        let spans = self.owners.get(&span.file)?;
        let i = spans.partition_point(|(s, _)| s.start <= span.start);
        let (item, name) = spans.get(i.checked_sub(1)?)?;
        (span.end <= item.end).then_some(*name)
    }
}

fn duplicate(second: &Stmt, first: &Stmt) -> Diagnostic {
    let name = second.name_text().unwrap_or_default();
    let span = second.name.as_ref().map_or(second.span, |n| n.span);
    let first_span = first.name.as_ref().map_or(first.span, |n| n.span);
    Diagnostic::new(
        Code::DuplicateDefinition,
        span,
        format!("`{name}` is defined more than once"),
    )
    .label(format!("second definition of `{name}`"))
    .with_secondary(first_span, "first defined here")
    .help(format!(
        "all top-level names share one namespace; rename one of the two `{name}`s or remove one"
    ))
}
