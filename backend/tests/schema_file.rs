//! `schema.graphql` at the root is the API's contract (the client is checked against
//! it): this fails when the file no longer matches the code.

#[test]
fn the_checked_in_schema_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    let want = backend::graphql::sdl();
    if std::env::var_os("SCR_UPDATE_DOCS").is_some() {
        std::fs::write(path, &want).expect("write schema.graphql");
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "schema.graphql is stale: run `SCR_UPDATE_DOCS=1 cargo test -p backend --test schema_file` and commit it"
    );
}
