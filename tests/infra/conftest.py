"""Synthesize the CDK app once per test session (both environments, cdk-nag on) with tiny
placeholder assets (MILEQUEST_FAKE_BUNDLE=1): offline and fast."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

os.environ["MILEQUEST_FAKE_BUNDLE"] = "1"
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "1")

from aws_cdk import NestedStack  # noqa: E402

from infra.app import build_app, new_app  # noqa: E402
from infra.config import ENVIRONMENTS  # noqa: E402
from infra.stack import MileQuestStack  # noqa: E402


@dataclass
class Synth:
    stack: MileQuestStack
    template: dict[str, Any]
    # area -> (nested template, logical id of its AWS::CloudFormation::Stack in the parent)
    nested: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)

    @property
    def resources(self) -> dict[str, Any]:
        return self.template["Resources"]

    def of_type(self, cfn_type: str) -> dict[str, Any]:
        return {k: v for k, v in self.resources.items() if v["Type"] == cfn_type}

    def props(
        self, cfn_type: str, where: Callable[[dict[str, Any]], bool] = lambda _: True
    ) -> list[dict[str, Any]]:
        """The Properties of every resource of the type that `where` accepts."""
        return [v["Properties"] for v in self.of_type(cfn_type).values() if where(v["Properties"])]

    def one(self, cfn_type: str) -> dict[str, Any]:
        found = list(self.of_type(cfn_type).values())
        assert len(found) == 1, f"{len(found)} x {cfn_type}"
        return found[0]

    def nested_param(self, area: str, value: Any) -> Any:
        """What a nested stack's {"Ref": param} is bound to in the parent template."""
        if isinstance(value, dict) and set(value) == {"Ref"}:
            _, logical = self.nested[area]
            params = self.resources[logical]["Properties"].get("Parameters", {})
            if value["Ref"] in params:
                return params[value["Ref"]]
        return value


@dataclass
class Synthesized:
    outdir: Path
    by_env: dict[str, Synth]

    def __getitem__(self, env: str) -> Synth:
        return self.by_env[env]

    def all_templates(self) -> dict[str, dict[str, Any]]:
        return {
            p.name: json.loads(p.read_text()) for p in sorted(self.outdir.glob("*.template.json"))
        }


@pytest.fixture(scope="session")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    outdir = tmp_path_factory.mktemp("cdk.out")
    app, stacks = build_app(
        new_app(str(outdir)), envs=list(ENVIRONMENTS.values()), version="test-version"
    )
    assembly = app.synth()  # runs cdk-nag: raises on any unacknowledged finding
    by_env: dict[str, Synth] = {}
    for name, stack in stacks.items():
        template = assembly.get_stack_by_name(stack.stack_name).template
        entry = Synth(stack=stack, template=template)
        for area, nested in stack.api.areas.items():
            entry.nested[area] = (_nested_template(outdir, nested), _logical_id(stack, nested))
        by_env[name] = entry
    return Synthesized(outdir=outdir, by_env=by_env)


def _logical_id(stack: MileQuestStack, nested: NestedStack) -> str:
    resource = nested.nested_stack_resource
    assert resource is not None
    return str(stack.resolve(resource.logical_id))


def _nested_template(outdir: Path, nested: NestedStack) -> dict[str, Any]:
    path = outdir / nested.template_file
    return json.loads(path.read_text())


def asset_paths() -> dict[str, str]:
    """Code and dependency asset directories (placeholders under MILEQUEST_FAKE_BUNDLE)."""
    from infra import bundling

    return {"code_path": str(bundling.code_dir()), "deps_path": str(bundling.deps_layer_dir())}
