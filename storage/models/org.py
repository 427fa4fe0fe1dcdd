"""The organisation model: workspaces, people, teams, cohorts, roles, channel bindings."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import Created, IntPK, Key, Name


class Workspace(Base):
    """A Slack team, a Teams tenant, or `local` (playground and terminal)."""

    __tablename__ = "workspaces"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    name: Mapped[Name] = mapped_column(default="")
    created_at: Mapped[Created]


class Person(Base):
    __tablename__ = "people"
    id: Mapped[IntPK]
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), index=True)
    display_name: Mapped[Name]
    email: Mapped[str | None] = mapped_column(String(320), nullable=True, index=True)
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), nullable=True
    )
    timezone: Mapped[str] = mapped_column(String(64), default="")
    locale: Mapped[str] = mapped_column(String(16), default="")
    cadence: Mapped[str | None] = mapped_column(String(64), nullable=True)
    quiet_hours: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """When scheduled messages may arrive, like `weekdays 09:00-18:00` (None: the default)."""
    created_at: Mapped[Created]


class Identity(Base):
    """A platform identity of a person: `local:NAME`, `slack:TEAM:USER`, `teams:TENANT:AAD`."""

    __tablename__ = "identities"
    id: Mapped[IntPK]
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    identity: Mapped[str] = mapped_column(String(255), unique=True)


class Team(Base):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)
    id: Mapped[IntPK]
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    name: Mapped[Name]
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), nullable=True
    )


class TeamMember(Base):
    __tablename__ = "team_members"
    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Cohort(Base):
    """A group assigned one program, with an optional due date and cadence override."""

    __tablename__ = "cohorts"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)
    id: Mapped[IntPK]
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    name: Mapped[Name]
    program_id: Mapped[Key]
    due_date: Mapped[date | None] = mapped_column(Date(), nullable=True)
    cadence: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[Created]


class CohortMember(Base):
    __tablename__ = "cohort_members"
    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )


ROLES = ("admin", "lead", "reviewer", "learner")


class RoleGrant(Base):
    """A role, optionally scoped to one program (reviewer) or one team (lead)."""

    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("person_id", "role", "program_id", "team_id"),)
    id: Mapped[IntPK]
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    program_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), nullable=True
    )


BINDING_PURPOSES = ("announcements", "reviews", "digests")


class ChannelBinding(Base):
    """Where a program's posts of one purpose go in a workspace (`*` = every program)."""

    __tablename__ = "channel_bindings"
    __table_args__ = (UniqueConstraint("workspace_id", "purpose", "program_id"),)
    id: Mapped[IntPK]
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    purpose: Mapped[str] = mapped_column(String(16))
    program_id: Mapped[str] = mapped_column(String(64), default="*")
    channel: Mapped[str] = mapped_column(String(255))
