"""The CI report folder: summary.md (for people), junit.xml (for CI test
views: one testcase per property, a finding is a <failure> whose message is
the typed counterexample) and results.sarif (SARIF 2.1.0 for code-scanning
views: one rule per failure kind, located at the failing check)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from .campaign import CampaignResult
from .common import Project

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FULL_NAME = "pry property-based fuzzing kit for C (AFL++, libFuzzer, random mode)"


def _first(r: CampaignResult) -> str:
    times = [f.time_to_find_s for f in r.findings if f.time_to_find_s is not None]
    return f"{min(times):.1f} s" if times else ("yes" if r.findings else "-")


def summary_md(results: list[CampaignResult], regressions: int, seconds: float) -> str:
    found = sum(len(r.findings) for r in results)
    lines = ["# pry ci", "",
             f"{len(results)} properties fuzzed in {seconds:.0f} s; {regressions} committed "
             f"regressions replayed; **{found} finding(s)**.", "",
             "| property | engine | execs | execs/s | coverage | findings | time to first finding |",
             "| --- | --- | ---: | ---: | --- | ---: | ---: |"]
    for r in results:
        eps = r.stats.execs / r.seconds if r.seconds else 0.0
        found = str(len(r.findings)) if r.findings or not r.unhealthy else "UNHEALTHY"
        lines.append(f"| {r.target} | {r.engine} | {r.stats.execs} | {eps:.0f} | "
                     f"{r.stats.coverage or '-'} | {found} | {_first(r)} |")
    for r in results:
        for f in r.findings:
            lines += ["", f"## {r.target.harness}/{f.prop}: {f.kind}", "", "```",
                      f.report or f.summary(), "```"]
        if r.unhealthy and not r.findings:
            lines += ["", f"## {r.target}: unhealthy", "", "```", *r.unhealthy, "```"]
    return "\n".join(lines) + "\n"


def junit_xml(results: list[CampaignResult], seconds: float) -> str:
    failures = sum(1 for r in results if r.findings)
    errors = sum(1 for r in results if r.unhealthy and not r.findings)
    suite = ET.Element("testsuite", name="pry ci", tests=str(len(results)),
                       failures=str(failures), errors=str(errors), time=f"{seconds:.3f}")
    for r in results:
        case = ET.SubElement(suite, "testcase", classname=r.target.harness,
                             name=str(r.target), time=f"{r.seconds:.3f}")
        for f in r.findings:
            fail = ET.SubElement(case, "failure", message=f"{f.summary()}\n{f.drawn}".strip(),
                                 type=f.kind or "failure")
            fail.text = f.report or f.summary()
        if r.unhealthy and not r.findings:
            ET.SubElement(case, "error", message="\n".join(r.unhealthy), type="unhealthy")
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def _rule_id(kind: str) -> str:
    return "pry/" + (re.sub(r"[^a-z0-9]+", "-", kind.lower()).strip("-") or "failure")


def _location(site: str) -> dict:
    m = re.match(r"^(.*?):(\d+)$", site or "")
    if not m:
        return {"physicalLocation": {"artifactLocation": {"uri": site or "unknown"}}}
    return {"physicalLocation": {"artifactLocation": {"uri": m.group(1),
                                                      "uriBaseId": "%SRCROOT%"},
                                 "region": {"startLine": int(m.group(2))}}}


def sarif(results: list[CampaignResult], project: Project) -> dict:
    rules: dict[str, dict] = {}
    out = []
    for r in results:
        for f in r.findings:
            rid = _rule_id(f.kind)
            rules.setdefault(rid, {"id": rid, "name": f.kind or "failure",
                                   "shortDescription": {"text": f"pry property: {f.kind}"}})
            out.append({"ruleId": rid, "level": "error",
                        "message": {"text": f"{r.target.harness}/{f.summary()}\n{f.drawn}".strip()},
                        "locations": [_location(f.site)],
                        "properties": {"property": f"{r.target.harness}/{f.prop}",
                                       "record": project.rel(f.cbor) if f.cbor else None}})
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0",
            # No informationUri: SARIF 2.1.0 §3.19.17 wants an absolute URI,
            # and pry has no home page to point at; fullName says what it is.
            "runs": [{"tool": {"driver": {"name": "pry", "fullName": FULL_NAME,
                                          "rules": list(rules.values())}},
                      "results": out}]}


def write_reports(report: Path, project: Project, results: list[CampaignResult],
                  regressions: int, seconds: float) -> list[Path]:
    report.mkdir(parents=True, exist_ok=True)
    files = {"summary.md": summary_md(results, regressions, seconds),
             "junit.xml": junit_xml(results, seconds),
             "results.sarif": json.dumps(sarif(results, project), indent=2) + "\n"}
    paths = []
    for name, text in files.items():
        (report / name).write_text(text)
        paths.append(report / name)
    return paths
