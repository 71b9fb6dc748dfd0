fn main() { println!("server"); }
