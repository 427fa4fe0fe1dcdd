"""Open Badges 2.0 / 3.0: award, sign, bake, host, verify, revoke and announce credentials."""

from bot.credentials.context import Issuing
from bot.credentials.service import Awarded, Credentials
from bot.credentials.verify import verify
from bot.credentials.view import AwardView

__all__ = ["AwardView", "Awarded", "Credentials", "Issuing", "verify"]
