fn main() {
    let arch = if cfg!(target_arch = "aarch64") { "arm64" } else if cfg!(target_arch = "x86_64") { "amd64" } else { "other" };
    println!("Hello, {}!", arch);
}
