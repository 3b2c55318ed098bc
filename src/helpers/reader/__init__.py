"""The reader's layer: everything a notebook imports to show a package to a reader.

Owns the notebooks' parameters (:mod:`.params`), the words a reader sees in both languages (:mod:`.words`, over
``words.csv`` and ``glossary.csv``; :mod:`.labels` keeps views of them), how an amount is said (:mod:`.amounts`),
a check's arithmetic in words (:mod:`.explain`), how a figure is named and sourced (:mod:`.naming`), tables
(:mod:`.tables`, including the extractor's report card for 07), sentences that state findings (:mod:`.prose`,
:mod:`.walk`), charts (:mod:`.plots`) and the district within its city (:mod:`.within`).

May import: :mod:`helpers.core` and :mod:`helpers.drafting` (07 scores the extractor's draft).
"""
