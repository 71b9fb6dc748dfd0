// Prints the architecture it was compiled for, in Docker's spelling, so a
// multi-platform image shows which binary each platform really got.
use std::env::consts::ARCH;

fn docker_arch(arch: &str) -> &str {
    match arch {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "powerpc64" => "ppc64le",
        other => other, // arm, s390x, riscv64 are spelled the same
    }
}

fn main() {
    println!("Hello, {}!", docker_arch(ARCH));
}
