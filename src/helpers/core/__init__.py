"""The core: numbers and the data package, with no word of Chinese or English prose.

Owns units and magnitudes (:mod:`.units`), the interval a printed number stands for (:mod:`.intervals`),
periods (:mod:`.periods`), relations and the values they derive (:mod:`.relations`), the verdicts of the
checks (:mod:`.checks`), the data package and its audit against the source (:mod:`.package`, :mod:`.audit`),
and where things live in the repository (:mod:`.paths`).

May import: the standard library, numpy and pandas, and nothing else of ``helpers``.
"""
