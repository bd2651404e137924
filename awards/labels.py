"""Names shown for the award's phases, milestones and category rules (marked here, translated
where shown)."""

from __future__ import annotations

from core.i18n import N_
from core.i18n import gettext as _

PHASES = {
    "upcoming": N_("Opening soon"),
    "nominations": N_("Open for nominations"),
    "screening": N_("Screening"),
    "appeals": N_("Appeals"),
    "jury": N_("Jury scoring"),
    "shortlist": N_("Shortlist published"),
    "voting": N_("Voting"),
    "counting": N_("Counting the votes"),
    "results": N_("Results"),
}
MILESTONES = {
    "nominations_open": N_("Nominations open"),
    "nominations_close": N_("Nominations close"),
    "screening_ends": N_("Screening ends"),
    "appeals_close": N_("Appeals close"),
    "jury_starts": N_("Jury scoring starts"),
    "jury_ends": N_("Jury scoring ends"),
    "shortlist_at": N_("Shortlist published"),
    "voting_opens": N_("Voting opens"),
    "voting_closes": N_("Voting closes"),
    "results_at": N_("Results announced"),
}
NOMINEE_TYPES = {
    "individual": N_("An individual"),
    "group": N_("A group or team"),
    "institution": N_("An institution"),
}
EVIDENCE_FIELDS = {
    "work_title": N_("the work's title"),
    "work_outlet": N_("the outlet that published it"),
    "work_published_on": N_("its publication date"),
    "statement": N_("a statement"),
    "nominee_organization": N_("the nominee's outlet or organization"),
}

NOMINATION_STATES = {
    "draft": N_("Draft: not submitted"),
    "awaiting_nominee": N_("Submitted: waiting for the nominee to accept"),
    "submitted": N_("Submitted: waiting for screening"),
    "declined": N_("Declined by the nominee"),
    "eligible": N_("Eligible"),
    "ineligible": N_("Ineligible"),
    "merged": N_("Joined another nomination"),
}
RULINGS = {"eligible": N_("Eligible"), "ineligible": N_("Ineligible")}
APPEAL_STATES = {
    "pending": N_("Appeal filed: waiting for a decision"),
    "upheld": N_("Appeal upheld: the nomination is eligible"),
    "dismissed": N_("Appeal dismissed: the ruling stands"),
}
RELATIONS = {
    "self": N_("Myself"),
    "colleague": N_("A colleague"),
    "employer": N_("My employer"),
    "editor": N_("Their editor"),
    "audience": N_("A member of the audience"),
    "other": N_("Other"),
}

# The fraud review's coded reasons (awards.services.fraud.REASONS), its signals and actions.
FRAUD_REASONS = {
    "disposable-domain": N_("Disposable e-mail domain"),
    "burst": N_("Burst from one address or network"),
    "sequential-addresses": N_("Sequential or near-identical addresses"),
    "automation": N_("Automation: completed faster than a person could"),
    "rate-spike": N_("A finalist's votes far above its usual rate"),
    "genuine": N_("Genuine voters (for example a shared office network)"),
    "other": N_("Other (explained in the note)"),
}
FRAUD_SIGNALS = {
    "burst": N_("Burst from one network"),
    "sequential": N_("Sequential or near-identical addresses"),
    "disposable": N_("Disposable e-mail domain"),
    "fast": N_("Completed too fast"),
    "rate": N_("A finalist's unusual hour"),
}
FRAUD_ACTIONS = {"void": N_("Voided"), "keep": N_("Kept")}


def label(names: dict[str, str], key: object) -> str:
    """The translated name of a state or phase (the key itself if it has none)."""
    text = names.get(str(key))
    return _(text) if text else str(key)
