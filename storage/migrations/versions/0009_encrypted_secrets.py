"""encrypted secrets: widen slack_sdk's token columns and encrypt plaintext tokens

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29

Fernet ciphertexts of Slack tokens outgrow slack_sdk's String(200) columns (PostgreSQL
enforces the length), so the token columns become Text. Plaintext tokens already stored
are encrypted with the current key, which `microcred db upgrade` passes in
(`config.attributes["secret_keys"]`); without a key the upgrade refuses before changing
anything.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

from storage.encrypted_columns import (
    SECRET_COLUMNS,
    decrypt_all,
    encrypt_plaintext,
    encrypted_rows,
    plaintext_rows,
)
from storage.encryption import Cipher, SecretKeyMissing

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _keys() -> tuple[str, ...]:
    return tuple(context.config.attributes.get('secret_keys', ()))


def _retype(old: sa.types.TypeEngine[str], new: sa.types.TypeEngine[str]) -> None:
    for table, columns in SECRET_COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(
                    column, existing_type=old, type_=new, existing_nullable=True
                )


def upgrade() -> None:
    conn = op.get_bind()
    keys = _keys()
    pending = plaintext_rows(conn)
    if pending and not keys:
        raise SecretKeyMissing(
            f'{pending} stored Slack installation row(s) hold tokens in plaintext and no '
            'secret key is set: set MICROCRED_SECRET_KEY to a Fernet key (for example from '
            '`microcred secrets generate-key`) and run `microcred db upgrade` again'
        )
    _retype(sa.String(length=200), sa.Text())
    if pending:
        encrypt_plaintext(conn, Cipher(keys))


def downgrade() -> None:
    conn = op.get_bind()
    keys = _keys()
    encrypted = encrypted_rows(conn)
    if encrypted and not keys:
        raise SecretKeyMissing(
            f'{encrypted} stored Slack installation row(s) hold encrypted tokens: set '
            'MICROCRED_SECRET_KEY to decrypt them before downgrading'
        )
    if encrypted:
        decrypt_all(conn, Cipher(keys))
    _retype(sa.Text(), sa.String(length=200))
