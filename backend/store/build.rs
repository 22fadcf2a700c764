// `sqlx::migrate!` embeds the migration files at compile time; without this, adding a new
// file would not rebuild the crate and the binary would silently miss the migration.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
