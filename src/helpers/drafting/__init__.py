"""Drafting: from a new report's text to a data package to curate.

Owns the extractor (:mod:`.extract`, ``python -m helpers extract``) and the whole draft package
(:mod:`.draft`, ``python -m helpers new``).

May import: :mod:`helpers.core`.
"""
