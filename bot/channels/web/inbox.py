"""The playground's inbox: scheduled lessons and reminders for a local learner, as HTML."""

from __future__ import annotations

from aiohttp import web

from bot.channels.web.playground import NAME
from bot.channels.web.render import render_message
from bot.delivery.inbox import inbox_since
from storage.db import Database, DatabaseUnavailable

PATH = "/playground/api/inbox"
MAX_ID = 2**63 - 1


def inbox_routes(database: Database) -> list[web.AbstractRouteDef]:
    """GET /playground/api/inbox?user=NAME&after=ID: messages the scheduler delivered since ID."""

    async def inbox(request: web.Request) -> web.Response:
        name = request.query.get("user", "").strip()
        if not NAME.match(name):
            return web.json_response({"error": "Pick a learner name first."}, status=400)
        raw = request.query.get("after", "0") or "0"
        if not raw.isdigit() or int(raw) > MAX_ID:
            return web.json_response({"error": "after must be a message number"}, status=400)
        after = int(raw)
        try:
            found = await inbox_since(database, identity=f"local:{name.lower()}", after=after)
        except DatabaseUnavailable:
            return web.json_response({"error": "The bot cannot reach its database."}, status=503)
        messages = [
            {"id": row_id, "html": render_message(message, f"inbox-{row_id}")}
            for row_id, message in found
        ]
        last = found[-1][0] if found else after
        return web.json_response({"messages": messages, "last": last})

    return [web.get(PATH, inbox)]
