"""Names shown for the judging states and choices, translated once per language (every judging
page offers them through judging.plugin's page context, and the views use them)."""

from __future__ import annotations

import functools
from typing import Any

from core.i18n import get_locale, use_locale
from core.i18n import gettext as _
from judging.enums import ConflictKind, ConflictOrigin, EntryRule, JudgeState, Method, RoundState


def labels() -> dict[str, dict[Any, str]]:
    """Translated names of the judging states and choices, for templates (every judging page
    offers them: made once per language, the catalogs do not change while the process runs;
    read them, never change them)."""
    return _labels(get_locale())


@functools.cache
def _labels(lang: str) -> dict[str, dict[Any, str]]:
    with use_locale(lang):
        return _labels_now()


def _labels_now() -> dict[str, dict[Any, str]]:
    return {
        "state": {
            RoundState.DRAFT: _("In preparation"),
            RoundState.OPEN: _("Scoring open"),
            RoundState.CLOSED: _("Closed"),
            RoundState.PUBLISHED: _("Results published"),
        },
        "rule": {
            EntryRule.ALL_SUBMITTED: _("All submitted entries"),
            EntryRule.SHORTLIST_OF_PREVIOUS: _("The shortlist of a previous round"),
        },
        "method": {
            Method.MEAN: _("Mean"),
            Method.MEDIAN: _("Median"),
            Method.TRIMMED_MEAN: _("Trimmed mean"),
            Method.ZSCORE: _("Z-score calibration"),
            Method.LENIENCY: _("Judge-leniency model"),
        },
        "tiebreak": {
            "criteria": _("Criteria in priority order"),
            "top_scores": _("Count of top scores"),
            "decision": _("The organizer's recorded decision"),
        },
        "judge": {
            JudgeState.INVITED: _("Invited"),
            JudgeState.ACCEPTED: _("Accepted"),
            JudgeState.DECLINED: _("Declined"),
            JudgeState.WITHDRAWN: _("Withdrawn"),
        },
        "kind": {
            ConflictKind.ENTRY: _("Entry"),
            ConflictKind.TEAM: _("Team"),
            ConflictKind.ORGANIZATION: _("Organization or e-mail domain"),
        },
        "origin": {
            ConflictOrigin.DECLARED: _("Declared by the judge"),
            ConflictOrigin.DETECTED: _("Detected: shared organization or e-mail domain"),
            ConflictOrigin.ORGANIZER: _("Added by an organizer"),
        },
        "sheet": {"draft": _("Draft"), "submitted": _("Submitted"), "": _("Not started")},
        "place": {1: _("First place"), 2: _("Second place"), 3: _("Third place")},
    }
