//! The registry of diagnostic codes: written out once, with a meta-test that
//! every code has an explanation and a fixture.

use super::Severity;

macro_rules! codes {
    ($($variant:ident => $name:literal, $severity:ident;)*) => {
        /// A stable, kebab-case diagnostic code: a language code, or the
        /// name of a policy rule (rules live in `policy::rules`, each with its
        /// own severity and explanation).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant,)* Rule(&'static str) }

        impl Code {
            /// The language codes.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* Code::Rule(name) => name }
            }

            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* Code::Rule(_) => Severity::Warning }
            }

            /// The long explanation of a language code; rules keep theirs
            /// beside their check.
            pub fn explanation(self) -> &'static str {
                match self { $(Code::$variant => include_str!(concat!("codes/", $name, ".md")),)* Code::Rule(_) => "" }
            }
        }
    };
}

codes! {
    ParseError => "parse-error", Error;
    NestingTooDeep => "nesting-too-deep", Error;
    UnknownImport => "unknown-import", Error;
    UnreadableFile => "unreadable-file", Error;
    UnknownName => "unknown-name", Error;
    DuplicateDefinition => "duplicate-definition", Error;
    Cycle => "cycle", Error;
    FinalOverride => "final-override", Error;
    UnknownRegion => "unknown-region", Error;
    RegionOverlap => "region-overlap", Error;
    InvalidValue => "invalid-value", Error;
    UnknownTimezone => "unknown-timezone", Error;
    UnknownVariable => "unknown-variable", Error;
    MissingField => "missing-field", Error;
    WaiverInvalid => "waiver-invalid", Error;
    UnpolicedPipeline => "unpoliced-pipeline", Warning;
}

impl Code {
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == text)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
