"""The Media Excellence Award: cycles, categories, nominations, screening and duplicates
(models, rules, services), and the pure modules that count and check the result:
`tabulation` counts the final votes, `matching` finds duplicate nominations, `voters` gives the
public vote's identity keys, `bundle` writes the results bundle and `recount` checks one.
"""
