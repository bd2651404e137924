"""The Mediathon's request handlers, one module per audience: public (the event list and page),
participant (registration, teams, invitations, submission, dashboard), manage (the organizer)
and api (the public JSON API). events/plugin.py assembles their routes."""
