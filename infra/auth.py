"""Cognito user pool (email sign-in, verified email, strong passwords) and the app client."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from infra.config import EnvConfig


class Auth(Construct):
    def __init__(self, scope: Construct, cid: str, *, config: EnvConfig) -> None:
        super().__init__(scope, cid)
        self.user_pool = cognito.UserPool(
            self,
            "UserPool",
            user_pool_name=f"milequest-{config.name}",
            sign_in_aliases=cognito.SignInAliases(email=True),
            sign_in_case_sensitive=False,
            self_sign_up_enabled=True,
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            user_verification=cognito.UserVerificationConfig(
                email_style=cognito.VerificationEmailStyle.CODE
            ),
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=True, mutable=True),
                fullname=cognito.StandardAttribute(required=False, mutable=True),
            ),
            password_policy=cognito.PasswordPolicy(
                min_length=8,
                require_lowercase=True,
                require_uppercase=True,
                require_digits=True,
                require_symbols=False,
                temp_password_validity=Duration.days(3),
            ),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(sms=False, otp=True),
            # Threat protection (compromised credentials, adaptive auth) needs the Plus plan:
            # enforced in prod; dev stays on Essentials (cost).
            feature_plan=cognito.FeaturePlan.PLUS
            if config.is_prod
            else cognito.FeaturePlan.ESSENTIALS,
            standard_threat_protection_mode=(
                cognito.StandardThreatProtectionMode.FULL_FUNCTION if config.is_prod else None
            ),
            deletion_protection=config.is_prod,
            removal_policy=RemovalPolicy.RETAIN if config.is_prod else RemovalPolicy.DESTROY,
        )
        self.client = self.user_pool.add_client(
            "AppClient",
            user_pool_client_name=f"milequest-{config.name}-app",
            auth_flows=cognito.AuthFlow(user_password=True),
            generate_secret=False,
            enable_token_revocation=True,
            prevent_user_existence_errors=True,
            access_token_validity=Duration.hours(1),
            id_token_validity=Duration.hours(1),
            refresh_token_validity=Duration.days(30),
        )
