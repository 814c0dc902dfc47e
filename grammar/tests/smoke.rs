use sluice_grammar::{parse_file, FileId};

#[test]
fn spec_example_parses() {
    for path in ["/tmp/spec_example.sluice", "/tmp/spec_policy.sluice"] {
        let text = std::fs::read_to_string(path).unwrap();
        let (file, errors) = parse_file(FileId(0), &text);
        assert!(errors.is_empty(), "{errors:#?}");
        let file = file.unwrap();
        eprintln!("{:#?}", &file.items.last().unwrap());
    }
}
