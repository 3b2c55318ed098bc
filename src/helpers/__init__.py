"""Helpers for analysing the numbers of one report, in four layers, each importing only those below it:

- :mod:`helpers.core`: numbers, units, intervals, periods, relations, verdicts, the data package, the audit;
- :mod:`helpers.drafting`: the extractor and ``python -m helpers new``;
- :mod:`helpers.reader`: what notebooks import: parameters, words in both languages, tables, prose, charts;
- :mod:`helpers.build`: ``python -m helpers run``: execution, cleaning, cache, publication, the site.

``import helpers`` stays light: each room is imported where it is used, and the heavy libraries
(nbconvert, papermill, matplotlib) are imported only inside the modules that draw or run.
"""

__version__ = "0.1.0"
