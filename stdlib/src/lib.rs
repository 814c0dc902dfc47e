//! The `std/...` modules, embedded so the compiler never needs the network or
//! the current directory to find them. The list is written out once; a test
//! checks it against the files in `std/`.

/// One embedded module: `import "std/<name>"`.
pub struct Module {
    pub name: &'static str,
    pub text: &'static str,
}

pub const MODULES: &[Module] = &[
    Module {
        name: "aws",
        text: include_str!("../std/aws.sluice"),
    },
    Module {
        name: "azure",
        text: include_str!("../std/azure.sluice"),
    },
    Module {
        name: "calendars",
        text: include_str!("../std/calendars.sluice"),
    },
    Module {
        name: "gcp",
        text: include_str!("../std/gcp.sluice"),
    },
    Module {
        name: "policy",
        text: include_str!("../std/policy.sluice"),
    },
    Module {
        name: "templates",
        text: include_str!("../std/templates.sluice"),
    },
    Module {
        name: "windows",
        text: include_str!("../std/windows.sluice"),
    },
];

/// The text of `std/<name>`, if there is such a module.
pub fn module(name: &str) -> Option<&'static str> {
    MODULES.iter().find(|m| m.name == name).map(|m| m.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_module_list_matches_the_files() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/std");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                e.file_name()
                    .to_str()?
                    .strip_suffix(".sluice")
                    .map(String::from)
            })
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = MODULES.iter().map(|m| m.name.to_string()).collect();
        listed.sort();
        assert_eq!(listed, on_disk);
    }
}
