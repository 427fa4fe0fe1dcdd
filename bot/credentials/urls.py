"""The stable public URLs of badges, built on PUBLIC_BASE_URL."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit


@dataclass(frozen=True)
class Urls:
    base: str

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base)
        return f"{parts.scheme}://{parts.netloc}"

    # Open Badges 2.0 (hosted verification)
    @property
    def ob2_issuer(self) -> str:
        return f"{self.base}/ob2/issuer"

    def badge_class(self, program_id: str) -> str:
        return f"{self.base}/ob2/badges/{program_id}"

    def assertion(self, uid: str) -> str:
        return f"{self.base}/ob2/assertions/{uid}"

    @property
    def revocation_list(self) -> str:
        return f"{self.base}/ob2/revocations"

    # Open Badges 3.0 (VC-JWT)
    @property
    def ob3_issuer(self) -> str:
        return f"{self.base}/ob3/issuer"

    def achievement(self, program_id: str) -> str:
        return f"{self.base}/ob3/achievements/{program_id}"

    def credential(self, uid: str) -> str:
        return f"{self.base}/ob3/credentials/{uid}"

    def credential_jwt(self, uid: str) -> str:
        return f"{self.credential(uid)}.jwt"

    @property
    def status_list(self) -> str:
        return f"{self.base}/ob3/status/revocation"

    @property
    def jwks(self) -> str:
        return f"{self.base}/.well-known/jwks.json"

    def key(self, kid: str) -> str:
        return f"{self.base}/ob3/keys/{kid}"

    # People-facing pages and files
    def page(self, uid: str) -> str:
        return f"{self.base}/badges/{uid}"

    def baked_png(self, uid: str) -> str:
        return f"{self.base}/badges/{uid}/badge.png"

    def image(self, program_id: str) -> str:
        return f"{self.base}/badges/images/{program_id}.png"

    def program_page(self, program_id: str) -> str:
        return f"{self.base}/badges/programs/{program_id}"


def linkedin_url(
    *,
    name: str,
    organization: str,
    issued_year: int,
    issued_month: int,
    expires: tuple[int, int] | None,
    cert_url: str,
    cert_id: str,
) -> str:
    """LinkedIn's "Add license or certification" link, prefilled."""
    params: dict[str, str | int] = {
        "startTask": "CERTIFICATION_NAME",
        "name": name,
        "organizationName": organization,
        "issueYear": issued_year,
        "issueMonth": issued_month,
        "certUrl": cert_url,
        "certId": cert_id,
    }
    if expires is not None:
        params["expirationYear"], params["expirationMonth"] = expires
    return "https://www.linkedin.com/profile/add?" + urlencode(params)


@dataclass(frozen=True)
class Issuer:
    """Who issues the badges (one issuer per installation)."""

    name: str
    url: str
    email: str = ""
