"""How the audit log names the Mediathon's records (offered to the core through the plugin's
hooks)."""

from __future__ import annotations

from core.hooks import AuditLabels
from core.i18n import N_
from events.labels import MAIL_GROUPS, MILESTONES, QUESTION_KINDS

AUDIT = AuditLabels(
    actions={
        "events.create": N_("Event created"),
        "events.update": N_("Event settings changed"),
        "events.publish": N_("Event published"),
        "events.unpublish": N_("Event hidden"),
        "events.extend_deadline": N_("Deadline extended"),
        "events.track_add": N_("Track added"),
        "events.track_update": N_("Track changed"),
        "events.track_delete": N_("Track deleted"),
        "events.track_move": N_("Tracks reordered"),
        "events.question_add": N_("Question added"),
        "events.question_update": N_("Question changed"),
        "events.question_delete": N_("Question deleted"),
        "events.question_move": N_("Questions reordered"),
        "events.mail_group": N_("Mail sent to a group"),
    },
    objects={
        "Event": N_("Event"),
        "event": N_("Event"),
        "Track": N_("Track"),
        "Question": N_("Question"),
        "Registration": N_("Registration"),
        "Team": N_("Team"),
        "TeamMember": N_("Team member"),
        "TeamInvitation": N_("Team invitation"),
        "Submission": N_("Submission"),
        "SubmissionVersion": N_("Submission version"),
        "SubmissionFile": N_("Submission file"),
    },
    fields={
        "slug": N_("Page address"),
        "title": N_("Title"),
        "time_zone": N_("Time zone"),
        "visibility": N_("Visibility"),
        "team_min": N_("Smallest team"),
        "team_max": N_("Largest team"),
        **MILESTONES,
        "max_attachments": N_("Most attachments"),
        "max_attachment_mb": N_("Largest attachment (MB)"),
        "gallery_public": N_("Public gallery"),
        "name": N_("Name"),
        "description": N_("Description"),
        "kind": N_("Kind"),
        "label": N_("Question"),
        "help": N_("Help text"),
        "required": N_("Required"),
        "group": N_("Group"),
        "track": N_("Track"),
        "subject": N_("Subject"),
        "recipients": N_("Recipients"),
    },
    values={
        "visibility": {"draft": N_("Draft"), "published": N_("Published")},
        "kind": {str(k): v for k, v in QUESTION_KINDS.items()},
        "group": {str(k): v for k, v in MAIL_GROUPS.items()},
    },
)
