"""The award's use cases, one module per group (cycles, nominations, acceptance, screening,
duplicates); import the module you need, this package re-exports nothing."""
