"""Judging use cases: rounds, rubrics, judges and conflicts, assignment, scoring, results.

Every function that changes state owns its transaction, writes an audit entry and queues its
mail (woken after commit). What is judged comes from an EntrySource (judging/sources.py);
judging never imports the domain that owns it. The algorithms live in the pure modules
judging.scoring and judging.assignment.

Callers (judging's routes, other domains, tests) use ``judging.services.<name>``; each use case
lives in a module of this package, one concern each:

- rounds, rubric, entries: preparing a round
- judges, conflicts, markers: who judges, and who must not judge what
- assignments, scoring_progress: who judges what, and how far they are
- queues, sheets: the judge's side
- ranking, results, decisions, shortlisting, publication, exports: the organizer's results
- published, feedback, access: what the public, the teams and other domains read
"""

from __future__ import annotations

from core.clock import now
from judging.services.access import judge_may_read
from judging.services.assignments import (
    AssignOutcome,
    add_assignment,
    auto_assign,
    remove_assignment,
    replace_judge,
)
from judging.services.common import Links, is_over
from judging.services.conflicts import (
    conflict_in_scope,
    conflicts_of,
    declare_conflict,
    detect_conflicts,
    lift_conflict,
)
from judging.services.decisions import record_tie_decision, remove_mark, set_mark, set_method
from judging.services.entries import EntriesRefreshed, entries_of, refresh_entries
from judging.services.exports import export_csv
from judging.services.feedback import (
    CriterionFeedback,
    Feedback,
    RoundFeedback,
    feedback_for,
    feedback_scopes,
)
from judging.services.judges import (
    accepted_judges,
    answer_invitation,
    invite_judge,
    judge_for_token,
    judge_in_scope,
    judge_seats,
    judges_of,
    seat_in_scope,
)
from judging.services.markers import (
    active_conflicts,
    conflicted_pairs,
    email_domain,
    entry_markers,
    is_conflicted,
    judge_markers,
    normalize_org,
    organizations_of,
)
from judging.services.publication import publish
from judging.services.published import (
    GroupWinners,
    Placing,
    PublishedResults,
    PublishedRound,
    preview_results,
    published_results,
    ranking_of,
)
from judging.services.queues import QueueItem, QueueRound, judge_queue, queue_order
from judging.services.ranking import (
    DECISION_BASE,
    RoundData,
    combination_methods,
    current_ranking,
    ranked,
    round_data,
    tie_decisions,
    tiebreak_key,
)
from judging.services.results import (
    JudgeScore,
    LeniencyRow,
    ResultRow,
    Results,
    round_results,
)
from judging.services.rounds import (
    ROUND_FIELDS,
    change_state,
    create_round,
    delete_round,
    round_in_scope,
    scope_rounds,
    update_round,
)
from judging.services.rubric import (
    CRITERION_FIELDS,
    criteria_of,
    delete_criterion,
    pure_criterion,
    rubric_locked,
    save_criterion,
)
from judging.services.scoring_progress import (
    EntryProgress,
    JudgeProgress,
    Progress,
    progress,
)
from judging.services.sheets import (
    Scoring,
    StaleSheet,
    declare_entry_conflict,
    save_sheet,
    scoring_for,
    sheet_total,
)
from judging.services.shortlisting import shortlist

__all__ = [
    "CRITERION_FIELDS",
    "DECISION_BASE",
    "ROUND_FIELDS",
    "AssignOutcome",
    "CriterionFeedback",
    "EntriesRefreshed",
    "EntryProgress",
    "Feedback",
    "GroupWinners",
    "JudgeProgress",
    "JudgeScore",
    "LeniencyRow",
    "Links",
    "Placing",
    "Progress",
    "PublishedResults",
    "PublishedRound",
    "QueueItem",
    "QueueRound",
    "ResultRow",
    "Results",
    "RoundData",
    "RoundFeedback",
    "Scoring",
    "StaleSheet",
    "accepted_judges",
    "active_conflicts",
    "add_assignment",
    "answer_invitation",
    "auto_assign",
    "change_state",
    "combination_methods",
    "conflict_in_scope",
    "conflicted_pairs",
    "conflicts_of",
    "create_round",
    "criteria_of",
    "current_ranking",
    "declare_conflict",
    "declare_entry_conflict",
    "delete_criterion",
    "delete_round",
    "detect_conflicts",
    "email_domain",
    "entries_of",
    "entry_markers",
    "export_csv",
    "feedback_for",
    "feedback_scopes",
    "invite_judge",
    "is_conflicted",
    "is_over",
    "judge_for_token",
    "judge_in_scope",
    "judge_markers",
    "judge_may_read",
    "judge_queue",
    "judge_seats",
    "judges_of",
    "lift_conflict",
    "normalize_org",
    "now",
    "organizations_of",
    "preview_results",
    "progress",
    "publish",
    "published_results",
    "pure_criterion",
    "queue_order",
    "ranked",
    "ranking_of",
    "record_tie_decision",
    "refresh_entries",
    "remove_assignment",
    "remove_mark",
    "replace_judge",
    "round_data",
    "round_in_scope",
    "round_results",
    "rubric_locked",
    "save_criterion",
    "save_sheet",
    "scope_rounds",
    "scoring_for",
    "seat_in_scope",
    "set_mark",
    "set_method",
    "sheet_total",
    "shortlist",
    "tie_decisions",
    "tiebreak_key",
    "update_round",
]
