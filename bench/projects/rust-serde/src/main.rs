//! logscan: reads log lines on stdin, extracts `key=value` pairs with a regex and prints
//! one JSON object per line.
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Record {
    line: usize,
    level: Option<String>,
    fields: BTreeMap<String, String>,
}

fn parse(re: &Regex, n: usize, text: &str) -> Record {
    let mut fields = BTreeMap::new();
    for cap in re.captures_iter(text) {
        fields.insert(cap[1].to_string(), cap[2].trim_matches('"').to_string());
    }
    let level = fields.remove("level");
    Record { line: n, level, fields }
}

fn main() {
    let re = Regex::new(r#"(\w+)=("[^"]*"|\S+)"#).expect("valid regex");
    let stdin = io::stdin();
    let mut out = io::stdout().lock();
    let mut count = 0;
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line.expect("readable stdin");
        let rec = parse(&re, n + 1, &line);
        let json = serde_json::to_string(&rec).expect("serialisable");
        let back: Record = serde_json::from_str(&json).expect("round trip");
        assert_eq!(back, rec);
        writeln!(out, "{json}").expect("writable stdout");
        count += 1;
    }
    eprintln!("logscan 0.1: {count} lines");
}
