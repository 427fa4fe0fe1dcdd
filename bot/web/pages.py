"""The HTML shell of the pages served outside the playground (badges, sign-in)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from aiohttp import web

STATIC = Path(__file__).resolve().parent / "static"
STYLESHEET = "/static/page.css"


def html_page(title: str, body: str, *, head: str = "") -> str:
    """A whole page: no inline script or style, so the strict CSP holds."""
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)}</title>{head}"
        f"<link rel='stylesheet' href='{STYLESHEET}'></head><body>{body}</body></html>"
    )


def page_routes() -> list[web.AbstractRouteDef]:
    return [web.static("/static", STATIC)]
