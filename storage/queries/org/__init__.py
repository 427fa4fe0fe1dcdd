"""The organisation model: people, teams, cohorts, roles and channel bindings."""

from storage.queries.org.bindings import (
    BindingRow,
    binding_for,
    binding_rows,
    bindings_for,
    set_binding,
)
from storage.queries.org.cohorts import (
    CohortRow,
    add_cohort_member,
    cohort_by_name,
    cohort_rows,
    create_cohort,
)
from storage.queries.org.directory import (
    ImportCounts,
    PersonRecord,
    emails_in,
    identities_of,
    import_people,
    people_named,
)
from storage.queries.org.roles import RoleRow, find_grant, grant_role, revoke_role, role_rows
from storage.queries.org.teams import (
    ensure_team,
    first_team_of,
    move_to_team,
    team_by_name,
    team_names,
)
from storage.queries.org.workspaces import EVERY_PROGRAM, channel_workspace, workspace_problem

__all__ = [
    "EVERY_PROGRAM",
    "BindingRow",
    "CohortRow",
    "ImportCounts",
    "PersonRecord",
    "RoleRow",
    "add_cohort_member",
    "binding_for",
    "binding_rows",
    "bindings_for",
    "channel_workspace",
    "cohort_by_name",
    "cohort_rows",
    "create_cohort",
    "emails_in",
    "ensure_team",
    "find_grant",
    "first_team_of",
    "grant_role",
    "identities_of",
    "import_people",
    "move_to_team",
    "people_named",
    "revoke_role",
    "role_rows",
    "set_binding",
    "team_by_name",
    "team_names",
    "workspace_problem",
]
