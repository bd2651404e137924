"""Judging use cases: rounds, rubrics, judges and conflicts, assignment, scoring, results.

Every function that changes state owns its transaction, writes an audit entry and queues its
mail (woken after commit). What is judged comes from an EntrySource (judging/sources.py);
judging never imports the domain that owns it. The algorithms live in the pure modules
judging.scoring and judging.assignment.

Each use case lives in a module of this package, one concern each; callers import the module
they use (``from judging.services import sheets``): this package re-exports nothing.

- rounds, rubric, entries: preparing a round
- judges, conflicts, markers: who judges, and who must not judge what
- assignments, scoring_progress: who judges what, and how far they are
- queues, sheets: the judge's side
- ranking, results, decisions, shortlisting, publication, exports: the organizer's results
- published, feedback, access: what the public, the teams and other domains read
"""
