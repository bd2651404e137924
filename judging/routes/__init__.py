"""Judging's request handlers, one module per audience and page group; judging/plugin.py
maps URLs to them."""
