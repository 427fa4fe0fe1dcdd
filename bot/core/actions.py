"""Typed button actions: one payload dataclass per action, registered once, checked in one place.

A button carries an `Action` (a name and short string arguments) that every channel passes
through opaquely. An `ActionType` gives that pair a typed payload, one encoder and decoder, a
version, and the rule of who may press it; an `ActionRegistry` holds one handler per type and
runs the press check before any handler, whatever channel the press came from.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar, cast, get_type_hints

from bot.core.copy import t
from bot.core.errors import BadRequest
from bot.core.events import ActionInput
from bot.core.views import Action, Reply


def old_button() -> str:
    """The refusal of a button this version cannot read (unknown, newer, or malformed)."""
    return t("actions.old_button")


def not_yours_here() -> str:
    """The refusal of a personal button pressed on a post in a shared channel."""
    return t("actions.not_yours_here")


VERSION_KEY = "_v"
"""The argument holding the payload's version; absent means version 1 (every older button)."""


class Role(StrEnum):
    """A role the press check can ask for (the handler still checks the details)."""

    ADMIN = "admin"
    LEAD = "lead"
    """A lead of some team, or an admin."""
    REVIEWER = "reviewer"
    """A reviewer of some program, or an admin."""


ROLE_REFUSALS: Mapping[Role, str] = {
    Role.ADMIN: "actions.admins_only",
    Role.LEAD: "actions.leads_only",
    Role.REVIEWER: "actions.reviewers_only",
}
"""The catalogue key of each role's refusal."""


def role_refusal(role: Role) -> str:
    """Why someone without `role` cannot press the button, and how to get the role."""
    return t(ROLE_REFUSALS[role])


@dataclass(frozen=True)
class Who:
    """Who may press a button.

    `on_channel_posts`: the button sits on a post in a shared channel, so anyone who sees it
    may press it (the handler decides what pressing means for them); otherwise only the
    person it was sent to, where only they see it (a DM, a personal chat, App Home, a modal).
    `role`: the presser must hold this role as well.
    """

    on_channel_posts: bool = False
    role: Role | None = None


RECIPIENT = Who()
ANYONE_WHO_SEES_IT = Who(on_channel_posts=True)


def arg(key: str, default: Any = dataclasses.MISSING) -> Any:
    """A payload field carried under the short wire `key` (Block Kit values are small).

    Payloads are keyword-only dataclasses of str, int, `int | None` (None is not sent) and
    bool fields."""
    return dataclasses.field(default=default, metadata={"key": key})


P = TypeVar("P")
C = TypeVar("C")
Upgrade = Callable[[int, dict[str, str]], dict[str, str]]
_SCALARS: dict[Any, Callable[[str], Any]] = {
    str: str,
    int: int,
    int | None: lambda v: int(v) if v else None,
    bool: lambda v: v == "1",
}


@dataclass(frozen=True)
class _Field:
    name: str
    key: str
    parse: Callable[[str], Any]
    required: bool


def _fields_of(payload: type) -> tuple[_Field, ...]:
    if not dataclasses.is_dataclass(payload):
        raise TypeError(f"{payload.__name__} is not a dataclass")
    hints = get_type_hints(payload)
    out = []
    for f in dataclasses.fields(payload):
        parse = _SCALARS.get(hints[f.name])
        if parse is None:
            raise TypeError(f"{payload.__name__}.{f.name}: only str, int, int | None, bool travel")
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        out.append(_Field(f.name, f.metadata.get("key", f.name), parse, required))
    keys = [f.key for f in out]
    if len(set(keys)) != len(keys) or VERSION_KEY in keys:
        raise TypeError(f"{payload.__name__}: wire keys must be distinct and not {VERSION_KEY!r}")
    return tuple(out)


def _wire(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


@dataclass(frozen=True)
class NoArgs:
    """The payload of a button that needs no arguments."""


class ActionType(Generic[P]):
    """One kind of button: its name, typed payload, version and who may press it.

    `aliases` are names it had before (buttons already posted keep working); `upgrade`
    turns the arguments of an older `version` into the current ones.
    """

    def __init__(
        self,
        name: str,
        payload: type[P],
        *,
        who: Who = RECIPIENT,
        version: int = 1,
        aliases: tuple[str, ...] = (),
        upgrade: Upgrade | None = None,
    ) -> None:
        if version > 1 and upgrade is None:
            raise TypeError(f"{name}: version {version} needs an upgrade for older buttons")
        self.name, self.payload, self.who = name, payload, who
        self.version, self.aliases, self.upgrade = version, aliases, upgrade
        self._fields = _fields_of(payload)

    def __repr__(self) -> str:
        return f"ActionType({self.name!r})"

    def __call__(self, payload: P | None = None) -> Action:
        """The Action a button carries for `payload` (the one encoder)."""
        if payload is None:
            payload = self.payload()
        values = {f.key: getattr(payload, f.name) for f in self._fields}
        args = {key: _wire(value) for key, value in values.items() if value is not None}
        if self.version > 1:
            args[VERSION_KEY] = str(self.version)
        return Action(self.name, tuple(sorted(args.items())))

    def decode(self, action: Action) -> P:
        """The payload of a pressed button, from any version (the one decoder)."""
        args = dict(action.args)
        version = _version(args.pop(VERSION_KEY, "1"))
        if version > self.version:
            raise BadRequest(old_button())
        if version < self.version:
            assert self.upgrade is not None
            args = self.upgrade(version, args)
        values: dict[str, Any] = {}
        for f in self._fields:
            raw = args.get(f.key)
            if raw is None:
                if f.required:
                    raise BadRequest(old_button())
                continue
            try:
                values[f.name] = f.parse(raw)
            except ValueError:
                raise BadRequest(old_button()) from None
        return self.payload(**values)


def _version(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise BadRequest(old_button()) from None


Handler = Callable[[C, Any, ActionInput], Awaitable[Reply]]
RoleCheck = Callable[[C, Role], Awaitable[bool]]


@dataclass(frozen=True)
class Registered(Generic[C]):
    kind: ActionType[Any]
    handler: Handler[C]


class ActionRegistry(Generic[C]):
    """Every action of the bot, each registered once, with the press check in front.

    `C` is what handlers receive as context (the journey's turn).
    """

    def __init__(self) -> None:
        self._by_name: dict[str, Registered[C]] = {}

    def register(
        self, kind: ActionType[P], handler: Callable[[C, P, ActionInput], Awaitable[Reply]]
    ) -> None:
        """Add `handler(context, payload, action_input)` for `kind`; names are unique."""
        for name in (kind.name, *kind.aliases):
            if name in self._by_name:
                raise ValueError(f"the action {name!r} is registered twice")
        entry = Registered[C](kind, cast(Handler[C], handler))
        for name in (kind.name, *kind.aliases):
            self._by_name[name] = entry

    def find(self, name: str) -> ActionType[Any] | None:
        entry = self._by_name.get(name)
        return entry.kind if entry else None

    def kinds(self) -> list[ActionType[Any]]:
        """Each registered action once (aliases not repeated)."""
        return list({id(e.kind): e.kind for e in self._by_name.values()}.values())

    def refusal(self, name: str, *, shared: bool) -> str | None:
        """Why a press of `name` may not go ahead where it happened (None: it may)."""
        entry = self._by_name.get(name)
        if entry is None:
            return old_button()
        if shared and not entry.kind.who.on_channel_posts:
            return not_yours_here()
        return None

    async def press(
        self, context: C, action_input: ActionInput, *, shared: bool, holds: RoleCheck[C]
    ) -> Reply:
        """Check who pressed where, decode the payload and run the handler.

        `shared`: the press came from a shared channel; `holds(context, role)` says whether
        the presser holds a role."""
        name = action_input.action.name
        refused = self.refusal(name, shared=shared)
        if refused is not None:
            raise BadRequest(refused)
        entry = self._by_name[name]
        role = entry.kind.who.role
        if role is not None and not await holds(context, role):
            raise BadRequest(role_refusal(role))
        payload = entry.kind.decode(action_input.action)
        return await entry.handler(context, payload, action_input)
