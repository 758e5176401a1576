"""Stack-level properties: sizes, cdk-nag, both environments synthesize offline."""

from __future__ import annotations

import json

from aws_cdk.assertions import Annotations, Match

from infra.config import ENVIRONMENTS

LIMIT = 500


def test_both_environments_synthesize_with_explicit_account_and_region(synth):
    for name, config in ENVIRONMENTS.items():
        stack = synth[name].stack
        assert stack.account == config.account
        assert stack.region == config.region


def test_every_stack_including_nested_stays_under_the_resource_limit(synth):
    templates = synth.all_templates()
    nested = [n for n in templates if ".nested." in n]
    assert nested, "route functions are expected in nested stacks"
    for name, template in templates.items():
        count = len(template["Resources"])
        # Leave head-room for routes still being added.
        assert count < LIMIT * 0.8, f"{name}: {count} resources"


def test_cdk_nag_reports_no_unacknowledged_findings(synth):
    report = json.loads((synth.outdir / "validation-report.json").read_text())
    nag = [p for p in report["pluginReports"] if p["pluginName"] == "AwsSolutions"]
    assert nag and nag[0]["conclusion"] == "success"
    assert nag[0]["violations"] == []
    for suppressed in nag[0]["suppressedViolations"]:
        assert suppressed["reason"].strip(), suppressed["ruleName"]
    for name in ENVIRONMENTS:
        errors = Annotations.from_stack(synth[name].stack).find_error(
            "*", Match.string_like_regexp("AwsSolutions-.*")
        )
        assert errors == []
