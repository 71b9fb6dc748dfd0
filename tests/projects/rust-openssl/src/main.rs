fn main() {
    println!("{}", openssl::version::version());
}
