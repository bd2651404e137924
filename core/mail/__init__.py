"""E-mail: an outbox table, templates per mail, senders, and a worker."""
