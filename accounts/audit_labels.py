"""How the audit log names accounts' records (offered to the core through the plugin's hooks)."""

from __future__ import annotations

from core.hooks import AuditLabels
from core.i18n import N_

AUDIT = AuditLabels(
    actions={
        "accounts.change_password": N_("Password changed"),
        "accounts.reset_password": N_("Password reset"),
        "accounts.create_admin": N_("Site admin created"),
        "accounts.grant_role": N_("Role granted"),
        "accounts.revoke_role": N_("Role withdrawn"),
    },
    objects={
        "User": N_("User"),
        "Membership": N_("Role"),
        "event": N_("Event"),
        "award_cycle": N_("Award cycle"),
    },
    fields={"email": N_("E-mail address"), "role": N_("Role"), "user": N_("User")},
    values={
        "role": {
            "organizer": N_("Organizer"),
            "judge": N_("Judge"),
            "participant": N_("Participant"),
        }
    },
)
