"""How the audit log names the award's records (offered to the core through the plugin's
hooks)."""

from __future__ import annotations

from awards.labels import EVIDENCE_FIELDS, MILESTONES, NOMINEE_TYPES
from core.hooks import AuditLabels
from core.i18n import N_

AUDIT = AuditLabels(
    actions={
        "awards.cycle_create": N_("Award cycle created"),
        "awards.cycle_update": N_("Award cycle changed"),
        "awards.cycle_publish": N_("Award cycle published"),
        "awards.cycle_hide": N_("Award cycle hidden"),
        "awards.extend_deadline": N_("Deadline extended"),
        "awards.category_add": N_("Category added"),
        "awards.category_update": N_("Category changed"),
        "awards.reason_add": N_("Screening reason added"),
        "awards.category_move": N_("Category moved"),
        "awards.reason_update": N_("Screening reason changed"),
        "awards.nominee_complete": N_("Nominee completed the nomination"),
        "awards.nominee_accept": N_("Nominee accepted the nomination"),
        "awards.nominee_decline": N_("Nominee declined the nomination"),
        "awards.rule": N_("Nomination screened"),
        "awards.appeal": N_("Appeal sent"),
        "awards.appeal_decide": N_("Appeal decided"),
        "awards.merge": N_("Duplicate nominations merged"),
        "awards.merge_undo": N_("Merge undone"),
        "awards.duplicate_reject": N_("Likely duplicate rejected"),
        "awards.mail_group": N_("Mail sent to a group"),
        "awards.question_add": N_("Question added"),
        "awards.question_update": N_("Question changed"),
        "awards.question_delete": N_("Question deleted"),
        "awards.question_move": N_("Questions reordered"),
    },
    objects={
        "Cycle": N_("Award cycle"),
        "award_cycle": N_("Award cycle"),
        "Category": N_("Category"),
        "ScreeningReason": N_("Screening reason"),
        "Nomination": N_("Nomination"),
        "ScreeningRuling": N_("Screening ruling"),
        "Appeal": N_("Appeal"),
        "NominationMerge": N_("Merge of nominations"),
        "DuplicateDismissal": N_("Pair of nominations that are not duplicates"),
        "CategoryQuestion": N_("Question"),
    },
    fields={
        "year": N_("Year"),
        "rules": N_("Rules"),
        "acceptance_grace_hours": N_("Hours to accept a nomination"),
        **MILESTONES,
        "citation_guidance": N_("Citation guidance"),
        "nominee_type": N_("Nominee type"),
        "published_from": N_("Published from"),
        "published_until": N_("Published until"),
        "self_nomination": N_("Self-nomination"),
        "max_per_nominator": N_("Most nominations per nominator"),
        "required_fields": N_("Required fields"),
        "code": N_("Code"),
        "nominee": N_("Nominee"),
        "nomination": N_("Nomination"),
        "merged": N_("Merged"),
        "other": N_("Other nomination"),
    },
    values={
        "nominee_type": NOMINEE_TYPES,
        "required_fields": EVIDENCE_FIELDS,
        "Nomination.state": {
            "draft": N_("Draft"),
            "awaiting_nominee": N_("Waiting for the nominee"),
            "submitted": N_("Submitted"),
            "declined": N_("Declined"),
            "eligible": N_("Eligible"),
            "ineligible": N_("Ineligible"),
            "merged": N_("Merged"),
            "other": N_("Other nomination"),
        },
        "Appeal.state": {
            "pending": N_("Pending"),
            "upheld": N_("Upheld"),
            "dismissed": N_("Dismissed"),
        },
    },
)
