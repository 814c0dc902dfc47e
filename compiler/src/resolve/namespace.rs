//! One namespace per compilation: every top-level name, defined once.

use std::collections::{HashMap, HashSet};

use sluice_grammar::{File, FileId, Keyword, Span, Stmt};

use crate::diagnostic::{Code, Diagnostic, Diagnostics};

pub struct Namespace<'a> {
    items: HashMap<&'a str, &'a Stmt>,
    /// Per file, the spans of its items with their names, sorted by start.
    owners: HashMap<FileId, Vec<(Span, &'a str)>>,
}

impl<'a> Namespace<'a> {
    /// Collects every item. A name defined more than once is reported at
    /// every definition (SPEC 6.4 P1); the one kept is the organisation's
    /// (from `org`, the `--policy` files and their imports) when there is
    /// one, else the first, so a team cannot replace an org policy or
    /// template by defining its name first.
    pub fn build(
        files: &'a [Option<File>],
        org: &HashSet<FileId>,
        diagnostics: &mut Diagnostics,
    ) -> Self {
        let mut items: HashMap<&'a str, &'a Stmt> = HashMap::new();
        let mut owners: HashMap<FileId, Vec<(Span, &'a str)>> = HashMap::new();
        let mut duplicates: HashMap<&'a str, Vec<&'a Stmt>> = HashMap::new();
        for file in files.iter().flatten() {
            for item in file.items.iter().filter(|i| i.keyword != Keyword::Import) {
                let Some(name) = &item.name else { continue };
                owners
                    .entry(file.id)
                    .or_default()
                    .push((item.span, &name.text));
                match items.get(name.text.as_str()) {
                    Some(first) => duplicates
                        .entry(&name.text)
                        .or_insert_with(|| vec![*first])
                        .push(item),
                    None => {
                        items.insert(&name.text, item);
                    }
                }
            }
        }
        for (name, definitions) in duplicates {
            let kept = definitions
                .iter()
                .find(|d| org.contains(&d.span.file))
                .unwrap_or(&definitions[0]);
            items.insert(name, kept);
            for (i, definition) in definitions.iter().enumerate() {
                let other = if i == 0 {
                    definitions[1]
                } else {
                    definitions[0]
                };
                diagnostics.push(duplicate(definition, other, definitions.len()));
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

/// One finding per definition, each pointing at another one.
fn duplicate(this: &Stmt, other: &Stmt, count: usize) -> Diagnostic {
    let name = this.name_text().unwrap_or_default();
    let span = this.name.as_ref().map_or(this.span, |n| n.span);
    let other_span = other.name.as_ref().map_or(other.span, |n| n.span);
    let times = match count {
        2 => "twice".to_string(),
        n => format!("{n} times"),
    };
    Diagnostic::new(
        Code::DuplicateDefinition,
        span,
        format!("`{name}` is defined {times}"),
    )
    .label(format!("a definition of `{name}`"))
    .with_secondary(other_span, "also defined here")
    .help(format!(
        "all top-level names share one namespace; rename or remove all but one `{name}`"
    ))
}
