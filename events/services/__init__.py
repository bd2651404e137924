"""The Mediathon's use cases, one module per concern; callers import the module they use.

- editions: set up an edition (event, tracks, questions, publication, deadlines)
- registration: the registration window, registering and cancelling
- teams: teams, their size limit, invitations, join codes, the captain's actions
- submissions: the team's submission, its versions and files, the receipt
- uploads: storing uploaded files, and discarding them when a use case refuses
- mailing: organizer mail to groups of participants
- dashboard: the organizer's overview and the participant's dashboard
- home: what the home page shows of events, and the header link
- event_page: what an event's page reads for a visitor (one hand-written statement)
- public_cache: the public pages kept as bytes, and when they are dropped
- downloads: who may download a registration's or a submission's file
- entry_source: what judging reads of a submission (the EntrySource for events)
"""
