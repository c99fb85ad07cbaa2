//! graphql_client reads `schema.graphql` while compiling but does not tell cargo, so a
//! schema change alone would not recompile the client: this does.

fn main() {
    println!("cargo:rerun-if-changed=../schema.graphql");
    println!("cargo:rerun-if-changed=graphql/operations.graphql");
}
