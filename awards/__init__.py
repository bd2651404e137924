"""The Media Excellence Award.

For now only its pure modules live here (no ORM, no I/O, nothing else of Manassa imported):
`tabulation` counts the final votes, `matching` finds duplicate nominations, `voters` gives the
public vote's identity keys, `bundle` writes the results bundle and `recount` checks one.
"""
