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


# The final vote's declared rules (awards.tabulation): names and one-line explanations.
VOTE_METHODS = {
    "irv": N_("Instant runoff (IRV)"),
    "borda": N_("Borda"),
    "modified-borda": N_("Modified Borda"),
    "dowdall": N_("Dowdall"),
}
VOTE_METHOD_HELP = {
    "irv": N_(
        "Round by round, the finalist with the fewest first preferences is eliminated and its "
        "ballots pass to their next choice, until one finalist has a majority."
    ),
    "borda": N_(
        "Each ballot gives its first choice n−1 points, its second n−2, and so on down to 0."
    ),
    "modified-borda": N_(
        "For partial ballots: a ballot that ranks m finalists gives its first choice m points "
        "down to 1, so ranking a favourite alone does not help it."
    ),
    "dowdall": N_("Each ballot gives its first choice 1 point, its second 1/2, its third 1/3 …"),
}
QUORUM_FALLBACKS = {
    "public-only": N_("The public vote alone decides"),
    "no-award": N_("No award in this category"),
}
TIE_RULES = {
    "jury-rank": N_("The better jury rank"),
    "earlier-round": N_(
        "Earlier rounds: the most recent round in which the tied finalists had different counts"
    ),
    "jury-score": N_("The finalists' calibrated jury score from the scoring round"),
    "lot": N_(
        "A lot drawn from a seed derived from the results bundle's fingerprint, which anyone can "
        "reproduce"
    ),
}
