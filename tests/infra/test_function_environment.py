"""No secret is ever put in a function's environment: every variable of every function is one
of the known settings, and none holds a literal credential (secrets are read at run time from
Secrets Manager, or are IAM tokens made per connection)."""

from __future__ import annotations

import pytest

ENVS = ["dev", "prod"]
# Settings a MileQuest function may carry (layers/milequest/config.py and the jobs').
KNOWN = {
    "DB_HOST", "DB_READ_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_IAM_AUTH", "DB_MODE",
    "COGNITO_USER_POOL_ID", "COGNITO_CLIENT_ID", "ROUTE_PROVIDER", "ROUTE_CALCULATOR_NAME",
    "STAGE", "VERSION", "POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE",
    "POWERTOOLS_LOG_LEVEL", "DB_INSTANCE_IDENTIFIER", "MASTER_SECRET_ARN", "PGOPTIONS",
    "MIGRATIONS_HASH", "DB_APP_USER", "EMAIL_FROM", "VAPID_SECRET_ARN", "VAPID_PUBLIC_KEY",
    "VAPID_SUBJECT", "PUBLIC_BASE_URL", "EXPORT_BUCKET",
    "AWS_NODEJS_CONNECTION_REUSE_ENABLED", "CORS_ALLOWED_ORIGINS", "DB_ALLOCATED_STORAGE_GB",
    "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_",
}  # fmt: skip
LITERAL_OK = ("ARN", "HOST", "ID", "IDENTIFIER", "HASH", "PGOPTIONS")


def _functions(templates):
    for name, t in templates.items():
        for logical, res in t.get("Resources", {}).items():
            if res["Type"] == "AWS::Lambda::Function" and "Environment" in res["Properties"]:
                yield name, logical, res["Properties"]["Environment"]["Variables"]


def _app_functions(synth, env):
    """The app's own functions of `env` (not CDK's framework functions)."""
    for name, logical, variables in _functions(synth.all_templates()):
        if f"-{env}" not in name and env not in name.lower():
            continue
        if "MileQuest" not in logical and not any(k.startswith("DB_") for k in variables):
            continue
        yield name, logical, variables


@pytest.mark.parametrize("env", ENVS)
def test_function_environments_hold_only_known_non_secret_settings(synth, env):
    found = 0
    for name, logical, variables in _app_functions(synth, env):
        found += 1
        unknown = set(variables) - KNOWN
        assert unknown == set(), (name, logical, unknown)
        for key, value in variables.items():
            if isinstance(value, str) and not key.endswith(LITERAL_OK):
                assert len(value) < 64, (logical, key)  # no tokens, keys or passwords
    assert found > 20


@pytest.mark.parametrize("env", ENVS)
def test_every_function_runs_with_the_allocator_settings_the_benchmark_measured(synth, env):
    from milequest.allocator import ENVIRONMENT

    handlers = [(n, lg, v) for n, lg, v in _app_functions(synth, env) if "Migration" not in lg]
    # (the migration function runs migrations, not the handlers: no large answers to build)
    assert len(handlers) > 20
    for name, logical, variables in handlers:
        assert {k: variables.get(k) for k in ENVIRONMENT} == ENVIRONMENT, (name, logical)
