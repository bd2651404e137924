"""Judging's request handlers, one module per audience and page group; judging/routes.py maps
URLs to them."""
