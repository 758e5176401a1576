"""EMAIL deliveries through Amazon SES (sesv2), HTML and text bodies from the templates in
milequest/templates, in the recipient's locale.

The client is made on first use (never at import time) and kept for the execution environment.
A rejected message for an address on the SES suppression list stops email to that user.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from milequest.config import get_settings
from milequest.db.deliveries import Due
from milequest.i18n import render

_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
FOOTER = (
    "You get this email because of your Mile Quest notification settings; change them in the app."
)


@dataclass(frozen=True)
class Outcome:
    """sent; or retry later (error); or permanent (error) failure; suppressed: stop email."""

    sent: bool
    error: str = ""
    permanent: bool = False
    suppressed: bool = False


@lru_cache(maxsize=1)
def client() -> Any:
    settings = get_settings()
    import boto3  # here: only the dispatcher sends email

    return boto3.client(
        "sesv2", region_name=settings.aws_region, endpoint_url=settings.ses_endpoint_url
    )


@lru_cache(maxsize=2)
def _template(name: str) -> Template:
    return Template((_TEMPLATES / name).read_text(encoding="utf-8"))


def compose(d: Due) -> tuple[str, str, str]:
    """(subject, html, text) of a delivery, in the recipient's locale."""
    words = {
        "lang": d.locale,
        "greeting": render(d.locale, "Hi {name},", name=d.name),
        "title": d.title,
        "body": d.body,
        "open_app": render(d.locale, "Open Mile Quest"),
        "app_url": get_settings().public_base_url,
        "footer": render(d.locale, FOOTER),
    }
    text = _template("email.txt").substitute(words)
    markup = _template("email.html").substitute({k: html.escape(v) for k, v in words.items()})
    return d.title, markup, text


def send(d: Due) -> Outcome:
    if d.email_suppressed or d.email.endswith("@deleted.invalid"):
        return Outcome(False, "address suppressed", permanent=True)
    subject, markup, text = compose(d)
    ses = client()
    try:
        ses.send_email(
            FromEmailAddress=get_settings().email_from,
            Destination={"ToAddresses": [d.email]},
            Content={
                "Simple": {
                    "Subject": {"Data": subject, "Charset": "UTF-8"},
                    "Body": {
                        "Text": {"Data": text, "Charset": "UTF-8"},
                        "Html": {"Data": markup, "Charset": "UTF-8"},
                    },
                }
            },
        )
    except ClientError as err:
        code = err.response.get("Error", {}).get("Code", "")
        if code == "MessageRejected" and _suppressed(ses, d.email):
            return Outcome(False, "address suppressed", permanent=True, suppressed=True)
        permanent = code in ("MessageRejected", "BadRequestException", "NotFoundException")
        return Outcome(False, f"SES {code}", permanent=permanent)
    except BotoCoreError as err:
        return Outcome(False, f"SES {type(err).__name__}")
    return Outcome(True)


def _suppressed(ses: Any, address: str) -> bool:
    try:
        ses.get_suppressed_destination(EmailAddress=address)
    except ClientError:
        return False  # NotFoundException: not on the list (or the list cannot be read)
    return True
