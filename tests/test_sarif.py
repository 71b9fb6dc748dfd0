"""SARIF output: valid against the official 2.1.0 schema, and its fixes are convert's edits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xbuild.convert import convert
from xbuild.formatters import Checked
from xbuild.formatters.sarif import log
from xbuild.settings import make_options

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent
HELLO = ROOT / "examples" / "hello-go" / "Dockerfile"

CASES = {
    "hello-go": HELLO.read_text(),
    "crlf-no-final-newline": "FROM golang:1.22-alpine AS b\r\nRUN go mod download\r\n"
                             "RUN go install ./cmd/app\r\nFROM alpine\r\nCOPY --from=b /go/bin/app /a",
    "unicode-and-continuations": "# héllo ünïcode ✓\nFROM golang:1.22-alpine AS b\n"
                                 "RUN echo ✓ && \\\n    go build -o /app .\n"
                                 "FROM alpine\nCOPY --from=b /app /app\n",
    "cache-and-args": "ARG TARGETARCH=amd64\nFROM rust:1.79 AS r\nARG TARGETPLATFORM\n"
                      "RUN --mount=type=cache,target=/app/target cargo build\n"
                      "FROM alpine\nRUN echo $TARGETARCH\nCOPY --from=r /app /app\n",
    "nothing": "FROM alpine\nRUN echo hi\n",
}


def sarif_for(text: str, path: str = "Dockerfile") -> dict:
    result = convert(text, path, make_options(path))
    return log([Checked(path, result=result)])


def apply_sarif_fixes(text: str, sarif: dict) -> str:
    """Apply every fix's replacements the way a SARIF consumer would: regions in
    1-based line/column (code points), end exclusive, bottom-up."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def offset(line: int, col: int) -> int:
        return starts[line - 1] + col - 1

    reps = []
    for result in sarif["runs"][0]["results"]:
        for fix in result.get("fixes", []):
            for change in fix["artifactChanges"]:
                for r in change["replacements"]:
                    d = r["deletedRegion"]
                    reps.append((offset(d["startLine"], d["startColumn"]),
                                 offset(d["endLine"], d["endColumn"]),
                                 r.get("insertedContent", {}).get("text", "")))
    for start, end, new in sorted(reps, key=lambda r: (r[0], r[1]), reverse=True):
        text = text[:start] + new + text[end:]
    return text


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    return jsonschema.Draft4Validator(schema)


@pytest.mark.parametrize("name", CASES)
def test_schema_valid(name, validator):
    sarif = sarif_for(CASES[name])
    errors = sorted(validator.iter_errors(sarif), key=str)
    assert not errors, errors[0]


@pytest.mark.parametrize("name", CASES)
def test_fixes_applied_equal_convert(name):
    text = CASES[name]
    expected = convert(text, "Dockerfile", make_options("Dockerfile")).text
    assert apply_sarif_fixes(text, sarif_for(text)) == expected


def test_rules_metadata():
    from xbuild.rules import REGISTRY

    driver = sarif_for(CASES["hello-go"])["runs"][0]["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]] == [r.code for r in REGISTRY]
    xb001 = driver["rules"][0]
    assert xb001["name"] == "build-stage-on-buildplatform"
    assert xb001["shortDescription"]["text"] == "Build stages run on the builder's own platform."
    assert "Why:" in xb001["fullDescription"]["text"]
    assert xb001["helpUri"].endswith("/docs/rules/xb001.md")


def test_regions_exact():
    sarif = sarif_for(CASES["unicode-and-continuations"])
    by_rule = {r["ruleId"]: r for r in sarif["runs"][0]["results"]}
    # XB003: the RUN spans lines 3-4 (a continuation); the edit inserts in line 4
    region = by_rule["XB003"]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 1, "endLine": 4,
                      "endColumn": len("    go build -o /app .") + 1}
    d = by_rule["XB003"]["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]
    assert (d["startLine"], d["startColumn"]) == (4, 5)  # before `go`, after 4 spaces
    assert (d["endLine"], d["endColumn"]) == (4, 5)  # an insertion: empty region
    # XB001 inserts after `FROM ` on line 2 (the comment has non-ASCII code points)
    d = by_rule["XB001"]["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]
    assert (d["startLine"], d["startColumn"], d["endColumn"]) == (2, 6, 6)


def test_deletion_region():
    sarif = sarif_for("ARG TARGETARCH=amd64\nFROM alpine\n")
    (res,) = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "XB005"]
    rep = res["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert rep["deletedRegion"] == {"startLine": 1, "startColumn": 15, "endLine": 1,
                                    "endColumn": 21}
    assert rep["insertedContent"]["text"] == ""


def test_uris_relative_to_the_repository_root(tmp_path, monkeypatch, validator):
    """Regression: URIs were the path as given on the command line, so a check run
    from a subfolder (or with absolute paths) gave alerts code scanning could not place."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    df = repo / "svc" / "api" / "Dockerfile"
    df.parent.mkdir(parents=True)
    df.write_text(HELLO.read_text())
    monkeypatch.chdir(df.parent)
    for given in ("Dockerfile", str(df)):
        sarif = log([Checked(given, result=convert(df.read_text(), given))])
        validator.validate(sarif)
        run = sarif["runs"][0]
        loc = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        assert loc == {"uri": "svc/api/Dockerfile", "uriBaseId": "SRCROOT"}
        assert run["originalUriBaseIds"] == {"SRCROOT": {"uri": f"file://{repo}/"}}
        change = run["results"][0]["fixes"][0]["artifactChanges"][0]["artifactLocation"]
        assert change == loc


def test_uri_outside_a_repository_is_absolute(tmp_path, monkeypatch):
    df = tmp_path / "my app" / "Dockerfile"
    df.parent.mkdir()
    df.write_text(HELLO.read_text())
    monkeypatch.chdir(df.parent)
    sarif = log([Checked("Dockerfile", result=convert(df.read_text(), "Dockerfile"))])
    loc = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc == {"uri": f"file://{str(df).replace(' ', '%20')}"}
    assert "originalUriBaseIds" not in sarif["runs"][0]


def test_findings_carry_their_span_from_the_pipeline(monkeypatch):
    """The formatters place a finding from the span convert gave it; they never parse the
    file again (issue 14.3): with the scanner made to fail, the region is still exact."""
    import xbuild.model

    result = convert(CASES["unicode-and-continuations"], "Dockerfile", make_options("Dockerfile"))
    (xb003,) = [f for f in result.findings if f.code == "XB003"]
    assert xb003.span == (3, 1, 4, len("    go build -o /app .") + 1)

    def no_parse(*_a, **_k):
        raise AssertionError("a formatter parsed the file again")

    monkeypatch.setattr(xbuild.model, "parse", no_parse)
    sarif = log([Checked("Dockerfile", result=result)])
    by_rule = {r["ruleId"]: r for r in sarif["runs"][0]["results"]}
    region = by_rule["XB003"]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["endLine"]) == (3, 4)


def test_span_of_a_crlf_line_excludes_the_carriage_return():
    from xbuild.model import parse

    df = parse("FROM a\r\nRUN x \\\r\n  y\r\n")
    assert df.span(3) == (2, 1, 3, 4)
    assert df.span(9) == (9, 1, 9, 1)  # past the end: the bare line
