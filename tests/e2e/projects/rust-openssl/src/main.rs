// Links the target's libcrypto (libssl-dev:<debarch> in the converted build stage):
// the cross linker finds it only if the target's -dev package was installed.
// Prints the architecture it was compiled for, in Docker's spelling, then
// OpenSSL's version string as the runtime library reports it.
use std::env::consts::ARCH;
use std::ffi::CStr;
use std::os::raw::{c_char, c_int};

#[link(name = "crypto")]
extern "C" {
    fn OpenSSL_version(t: c_int) -> *const c_char;
}

fn docker_arch(arch: &str) -> &str {
    match arch {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    }
}

fn main() {
    println!("Hello, {}!", docker_arch(ARCH));
    // OPENSSL_VERSION = 0
    let v = unsafe { CStr::from_ptr(OpenSSL_version(0)) };
    println!("{}", v.to_string_lossy());
}
