"""Edge protection for CloudFront: a WAF web ACL (AWS managed common rules, known bad inputs,
and a per-IP rate rule) with its own log group.

A web ACL for CloudFront must live in us-east-1, so it is a small stack of its own per
environment there; the main stack reads its ARN through CDK's cross-region references.
"""

from __future__ import annotations

from aws_cdk import Environment, Stack
from aws_cdk import aws_wafv2 as waf
from constructs import Construct

from infra.config import EnvConfig
from infra.functions import log_group

EDGE_REGION = "us-east-1"
MANAGED_RULE_GROUPS = ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet")


def _visibility(name: str) -> waf.CfnWebACL.VisibilityConfigProperty:
    return waf.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
    )


def _managed(priority: int, name: str) -> waf.CfnWebACL.RuleProperty:
    return waf.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        override_action=waf.CfnWebACL.OverrideActionProperty(none={}),
        statement=waf.CfnWebACL.StatementProperty(
            managed_rule_group_statement=waf.CfnWebACL.ManagedRuleGroupStatementProperty(
                vendor_name="AWS", name=name
            )
        ),
        visibility_config=_visibility(name),
    )


class EdgeStack(Stack):
    def __init__(self, scope: Construct, cid: str, *, config: EnvConfig) -> None:
        super().__init__(
            scope,
            cid,
            env=Environment(account=config.account, region=EDGE_REGION),
            description=f"MileQuest edge protection ({config.name})",
            cross_region_references=True,
        )
        rules = [_managed(i, name) for i, name in enumerate(MANAGED_RULE_GROUPS)]
        rules.append(
            waf.CfnWebACL.RuleProperty(
                name="RatePerIp",
                priority=len(rules),
                action=waf.CfnWebACL.RuleActionProperty(block={}),
                statement=waf.CfnWebACL.StatementProperty(
                    rate_based_statement=waf.CfnWebACL.RateBasedStatementProperty(
                        limit=config.waf_rate_limit_per_5min, aggregate_key_type="IP"
                    )
                ),
                visibility_config=_visibility("RatePerIp"),
            )
        )
        self.web_acl = waf.CfnWebACL(
            self,
            "WebAcl",
            name=f"milequest-{config.name}",
            scope="CLOUDFRONT",
            default_action=waf.CfnWebACL.DefaultActionProperty(allow={}),
            rules=rules,
            visibility_config=_visibility(f"milequest-{config.name}"),
        )
        # WAF only logs to groups whose name starts with "aws-waf-logs-".
        self.log_group = log_group(
            self, "WafLogs", config, name=f"aws-waf-logs-milequest-{config.name}"
        )
        waf.CfnLoggingConfiguration(
            self,
            "WafLogging",
            resource_arn=self.web_acl.attr_arn,
            log_destination_configs=[self.log_group.log_group_arn],
        )
