"""HTML of the public badge pages: one award (status checked live) and one program's badge."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from bot.credentials.evidence import criteria_text, detail_lines, statement
from bot.credentials.urls import Urls, linkedin_url
from bot.credentials.view import AwardView
from bot.web.pages import html_page


def _page(title: str, body: str, image: str = "") -> str:
    og = f'<meta property="og:image" content="{escape(image)}">' if image else ""
    head = "<meta name='robots' content='noindex'>"
    head += f"<meta property='og:title' content='{escape(title)}'>"
    return html_page(title, body, head=head + og)


def _skills(badge: dict[str, Any]) -> str:
    items = []
    for skill in badge.get("skills", []):
        name = escape(skill["name"])
        framework = " ".join(x for x in (skill.get("framework"), skill.get("code")) if x)
        if framework and skill.get("url"):
            framework = f'<a href="{escape(skill["url"])}">{escape(framework)}</a>'
        else:
            framework = escape(framework)
        tail = f" · {framework}" if framework else ""
        items.append(f"<li id='skill-{escape(skill['id'])}'>{name}{tail}</li>")
    return f"<h2>Skills</h2><ul>{''.join(items)}</ul>" if items else ""


def _evidence(view: AwardView) -> str:
    """What was assessed: each item, its score and review, and the rubric levels given."""
    items = []
    for item in view.evidence:
        name = escape(item.get("name", "Evidence"))
        if item.get("url"):
            name = f'<a href="{escape(item["url"])}" rel="nofollow">{name}</a>'
        assessed = item.get("assessed")
        lines = detail_lines(assessed) if isinstance(assessed, dict) else []
        details = "".join(f"<li>{escape(line)}</li>" for line in lines)
        items.append(
            f"<li>{name}<br><span class='small'>{escape(item.get('description', ''))}</span>"
            f"{f'<ul>{details}</ul>' if details else ''}</li>"
        )
    return f"<h2>Evidence</h2><ul>{''.join(items)}</ul>" if items else ""


def _assessed(view: AwardView) -> str:
    """What this award rests on, when the criteria speak of more (peer review, prior learning)."""
    said = statement(view)
    return f"<p><strong>Assessed for this award:</strong> {escape(said)}</p>" if said else ""


def award_page(view: AwardView, urls: Urls, issuer: str, now: datetime) -> str:
    """The page a badge link opens: who, what, when, criteria, evidence, live status."""
    badge, state = view.badge, view.status(now)
    name, holder = escape(view.name), escape(view.holder or "A former member")
    text = view.status_text(now)
    status = escape(text[:1].upper() + text[1:])
    checked = now.strftime("%Y-%m-%d %H:%M UTC")
    actions = ""
    if state != "revoked" and view.issued:
        expires = (view.expires_at.year, view.expires_at.month) if view.expires_at else None
        linkedin = linkedin_url(
            name=view.name,
            organization=issuer,
            issued_year=view.awarded_at.year,
            issued_month=view.awarded_at.month,
            expires=expires,
            cert_url=urls.page(view.uid),
            cert_id=view.uid,
        )
        actions = (
            f'<p><a class="button" href="{escape(linkedin)}">Add to LinkedIn profile</a>'
            f'<a class="button secondary" href="{escape(urls.baked_png(view.uid))}" download>'
            "Download badge (PNG)</a>"
            f'<a class="button secondary" href="{escape(urls.credential_jwt(view.uid))}" download>'
            "Open Badges 3.0 (VC-JWT)</a>"
            f'<a class="button secondary" href="{escape(urls.credential(view.uid))}">'
            "Open Badges 3.0 (JSON)</a>"
            f'<a class="button secondary" href="{escape(urls.assertion(view.uid))}">'
            "Open Badges 2.0 assertion</a></p>"
        )
    elif state != "revoked":
        actions = (
            "<p class='small'>The earner has not confirmed the e-mail address for this badge "
            "yet; the downloadable credentials appear as soon as they do.</p>"
        )
    body = (
        f'<img class="badge" src="{escape(urls.image(view.program_id))}" '
        f'alt="{name} badge, issued by {escape(issuer)}">'
        f"<h1>{name}</h1>"
        f"<p>Earned by <strong>{holder}</strong> on {view.awarded_at.date().isoformat()} · "
        f"issued by {escape(issuer)}</p>"
        f'<div class="status {state}" role="status">{status}'
        f"<br><span class='small'>Checked live at {checked}</span></div>"
        f"{actions}"
        f"<h2>What it shows</h2><p>{escape(badge.get('description', ''))}</p>"
        f"<h2>Criteria</h2><p>{escape(criteria_text(badge))}</p>{_assessed(view)}"
        f"{_skills(badge)}{_evidence(view)}"
        "<h2>Verify it yourself</h2><p class='small'>This badge is an Open Badges 2.0 hosted "
        "assertion and an Open Badges 3.0 verifiable credential signed with the issuer's "
        f'published key (<a href="{escape(urls.jwks)}">keys</a>). Any Open Badges verifier '
        f"can check it, or run <code>microcred badges verify {escape(urls.baked_png(view.uid))}"
        "</code>.</p>"
    )
    return _page(f"{view.name} · {view.holder or 'badge'}", body, urls.image(view.program_id))


def withdrawn_page() -> str:
    body = (
        "<h1>This badge is no longer available</h1><div class='status revoked'>Revoked: the "
        "earner's records were erased.</div>"
    )
    return _page("Badge withdrawn", body)


def program_page(program_id: str, badge: dict[str, Any], urls: Urls, issuer: str) -> str:
    """What the badge of a program certifies (the criteria page of the badge class)."""
    name = escape(badge["name"])
    body = (
        f'<img class="badge" src="{escape(urls.image(program_id))}" alt="{name} badge">'
        f"<h1>{name}</h1><p class='small'>A micro-credential issued by {escape(issuer)}"
        f" for the program {escape(badge.get('program_title', program_id))}.</p>"
        f"<h2>What it shows</h2><p>{escape(badge.get('description', ''))}</p>"
        f"<h2>Criteria</h2><p>{escape(criteria_text(badge))}</p>{_skills(badge)}"
    )
    return _page(badge["name"], body, urls.image(program_id))
