"""Names shown for states and phases (marked here, translated where shown)."""

from __future__ import annotations

from core import questions
from core.i18n import N_
from core.i18n import gettext as _
from events.enums import (
    Deadline,
    InvitationState,
    MailGroup,
    Phase,
    QuestionScope,
    SubmissionState,
    TeamState,
)

PHASES = {
    Phase.UPCOMING: N_("Opening soon"),
    Phase.REGISTRATION: N_("Open for registration"),
    Phase.PREPARATION: N_("Registration closed"),
    Phase.SUBMISSION: N_("Open for submissions"),
    Phase.JUDGING: N_("Judging"),
    Phase.RESULTS: N_("Results"),
}
MILESTONES = {
    "registration_opens": N_("Registration opens"),
    "registration_closes": N_("Registration closes"),
    "submissions_open": N_("Submissions open"),
    "submissions_close": N_("Submissions close"),
    "judging_starts": N_("Judging starts"),
    "judging_ends": N_("Judging ends"),
    "results_at": N_("Results announced"),
}
DEADLINES = {
    Deadline.REGISTRATION_CLOSES: N_("Registration closes"),
    Deadline.SUBMISSIONS_CLOSE: N_("Submissions close"),
    Deadline.JUDGING_ENDS: N_("Judging ends"),
}
SUBMISSION_STATES = {
    SubmissionState.DRAFT: N_("Draft"),
    SubmissionState.SUBMITTED: N_("Submitted"),
    SubmissionState.WITHDRAWN: N_("Withdrawn"),
}
TEAM_STATES = {TeamState.ACTIVE: N_("Active"), TeamState.WITHDRAWN: N_("Withdrawn")}
INVITATION_STATES = {
    InvitationState.PENDING: N_("Waiting for an answer"),
    InvitationState.ACCEPTED: N_("Accepted"),
    InvitationState.DECLINED: N_("Declined"),
    InvitationState.REVOKED: N_("Withdrawn"),
}
QUESTION_KINDS = questions.KIND_LABELS
QUESTION_SCOPES = {
    QuestionScope.REGISTRATION: N_("Registration form"),
    QuestionScope.SUBMISSION: N_("Submission form"),
}
MAIL_GROUPS = {
    MailGroup.REGISTRANTS: N_("Everyone registered"),
    MailGroup.WITHOUT_SUBMISSION: N_("Members of teams that have not submitted"),
    MailGroup.TRACK: N_("Members of the teams in one track"),
}
SUBMISSION_FIELDS = {
    "title": N_("Title"),
    "summary": N_("Summary"),
    "problem": N_("The problem"),
    "solution": N_("Proposed solution"),
    "audience": N_("Audience"),
    "track": N_("Track"),
    "video_url": N_("Video link"),
    "prototype_url": N_("Prototype link"),
}


def label(table: dict, key: object) -> str:
    """The translated name of `key` in one of the tables above."""
    return _(table[key]) if key in table else str(key)
