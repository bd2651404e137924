"""The Media Excellence Award: cycles, categories, nominations, screening, duplicates."""
