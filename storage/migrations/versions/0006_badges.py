"""badges: awards, expiry reminders, sharing preferences, recognition policy

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0006'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('badge_awards',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('workspace_id', sa.String(length=120), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('program_id', sa.String(length=64), nullable=False),
    sa.Column('edition', sa.Integer(), nullable=False),
    sa.Column('program_hash', sa.String(length=16), nullable=False),
    sa.Column('badge', sa.JSON(), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=True),
    sa.Column('awarded_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('recipient_email', sa.String(length=320), nullable=True),
    sa.Column('salt', sa.String(length=64), nullable=True),
    sa.Column('identity_hash', sa.String(length=80), nullable=True),
    sa.Column('issued_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('credential_jwt', sa.Text(), nullable=True),
    sa.Column('key_id', sa.String(length=64), nullable=True),
    sa.Column('revoked_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revocation_reason', sa.String(length=500), nullable=True),
    sa.Column('announce_state', sa.String(length=16), nullable=False),
    sa.Column('announce_ref', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_badge_awards_person_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_badge_awards_workspace_id_workspaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badge_awards')),
    sa.UniqueConstraint('person_id', 'program_id', 'edition', name=op.f('uq_badge_awards_person_id_program_id_edition')),
    sa.UniqueConstraint('uid', name=op.f('uq_badge_awards_uid'))
    )
    with op.batch_alter_table('badge_awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_badge_awards_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_badge_awards_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('badge_reminders',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('due_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['award_id'], ['badge_awards.id'], name=op.f('fk_badge_reminders_award_id_badge_awards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badge_reminders')),
    sa.UniqueConstraint('award_id', 'kind', name=op.f('uq_badge_reminders_award_id_kind'))
    )
    with op.batch_alter_table('badge_reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_badge_reminders_award_id'), ['award_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_badge_reminders_due_at'), ['due_at'], unique=False)

    op.create_table('badge_preferences',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('announce', sa.String(length=8), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_badge_preferences_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_badge_preferences'))
    )
    op.create_table('badge_policies',
    sa.Column('workspace_id', sa.String(length=120), nullable=False),
    sa.Column('recognition', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_badge_policies_workspace_id_workspaces')),
    sa.PrimaryKeyConstraint('workspace_id', name=op.f('pk_badge_policies'))
    )


def downgrade() -> None:
    op.drop_table('badge_policies')
    op.drop_table('badge_preferences')
    with op.batch_alter_table('badge_reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_badge_reminders_due_at'))
        batch_op.drop_index(batch_op.f('ix_badge_reminders_award_id'))
    op.drop_table('badge_reminders')
    with op.batch_alter_table('badge_awards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_badge_awards_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_badge_awards_person_id'))
    op.drop_table('badge_awards')
