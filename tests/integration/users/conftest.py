"""Users tests share the auth area's session Cognito emulator and helpers."""

from tests.integration.auth.conftest import cognito, idp, signed_up

__all__ = ["cognito", "idp", "signed_up"]
