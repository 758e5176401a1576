"""cfn-lint and checkov over every synthesized template (both environments, nested and edge
stacks): zero errors, no warnings but CDK's W3005, no failed checkov check beyond the skips
named and justified in .ci/checkov.yaml."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKOV = ROOT / ".venv-tools" / "bin" / "checkov"
# W3005 (DependsOn already implied by a Ref/GetAtt) is what CDK writes for explicit
# dependencies; everything else is ours to fix.
ALLOWED_CFN_LINT = {"W3005"}


def test_cfn_lint_finds_nothing_but_cdk_redundant_dependencies(synth):
    templates = sorted(str(p) for p in synth.outdir.glob("*.template.json"))
    assert len(templates) >= 4
    out = subprocess.run(
        [sys.executable, "-m", "cfnlint", "--format", "json", *templates],
        capture_output=True,
        text=True,
        check=False,
    )
    findings = json.loads(out.stdout or "[]")
    unexpected = [
        f"{f['Rule']['Id']} {f['Filename'].rsplit('/', 1)[-1]}: {f['Message']}"
        for f in findings
        if f["Rule"]["Id"] not in ALLOWED_CFN_LINT
    ]
    assert unexpected == []


def test_checkov_passes_with_only_the_justified_skips(synth):
    assert CHECKOV.exists(), "run scripts/bootstrap.sh (installs checkov in .venv-tools)"
    out = subprocess.run(
        [
            str(CHECKOV),
            "--config-file",
            str(ROOT / ".ci" / "checkov.yaml"),
            "-d",
            str(synth.outdir),
            "-o",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=synth.outdir,  # as `make scan` does (see the Makefile)
        env={"BC_SKIP_MAPPING": "TRUE", "PATH": "/usr/bin:/bin"},
    )
    reports = json.loads(out.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    failed = [
        f"{c['check_id']} {c['resource']}"
        for r in reports
        for c in r.get("results", {}).get("failed_checks", [])
    ]
    assert failed == []
    assert sum(r["summary"]["passed"] for r in reports) > 0
