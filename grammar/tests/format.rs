use sluice_grammar::{parse_file, FileId};
#[test]
fn scratch() {
    let text = std::fs::read_to_string("/tmp/scratch.sluice").unwrap();
    let (file, errors) = parse_file(FileId(0), &text);
    eprintln!("{errors:#?}");
    let file = file.unwrap();
    for i in &file.items { eprintln!("{:?}", i); }
}
