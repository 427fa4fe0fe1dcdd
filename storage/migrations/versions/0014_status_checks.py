"""status checks: every status column accepts only its enum's values

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The values as of this revision (the StrEnums next to the models, frozen here), in the
# models' order, so the constraints read as `metadata.create_all` writes them.
STATUSES: dict[str, tuple[str, ...]] = {
    'enrollments': ('active', 'paused', 'finished', 'completed'),
    'step_progress': ('done', 'passed', 'failed', 'pending'),
    'attempts': ('scored', 'pending', 'superseded'),
    'score_records': ('scored', 'provisional', 'pending', 'failed', 'superseded'),
    'due_items': ('pending', 'done', 'skipped'),
    'recall_cards': ('active', 'retired'),
    'outbox': ('pending', 'claimed', 'sent', 'dead'),
    'challenges': ('draft', 'scheduled', 'running', 'ended', 'cancelled'),
    'engagement_due': ('pending', 'running', 'done', 'failed', 'cancelled'),
    'peer_submissions': ('open', 'changes_requested', 'approved', 'settled'),
    'peer_assignments': ('active', 'replaced', 'left', 'released'),
    'peer_posts': ('pending', 'sending', 'sent', 'dead'),
}


def _refuse_unknown(table: str, values: Sequence[str]) -> None:
    """Name the rows a check would refuse, rather than fail with a bare constraint error."""
    allowed = ', '.join(repr(v) for v in values)
    found = op.get_bind().exec_driver_sql(
        f'SELECT DISTINCT status FROM {table} WHERE status NOT IN ({allowed})'  # noqa: S608
    ).scalars().all()
    if found:
        raise RuntimeError(
            f'{table}.status holds values outside {values}: {sorted(found)}; '
            'correct those rows, then upgrade again'
        )


def upgrade() -> None:
    for table, values in STATUSES.items():
        _refuse_unknown(table, values)
    for table, values in STATUSES.items():
        allowed = ', '.join(repr(v) for v in values)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(batch_op.f(f'ck_{table}_status'), f'status IN ({allowed})')


def downgrade() -> None:
    for table in reversed(STATUSES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'ck_{table}_status'), type_='check')
