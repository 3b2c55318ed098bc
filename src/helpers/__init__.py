"""Helpers for analysing the numbers of one report: data package, units, intervals, relations, checks, tables, plots.

``import helpers`` stays light: each room is imported where it is used
(``from helpers import package, relations``), and the heavy libraries (nbconvert,
papermill, matplotlib) are imported only inside the modules that draw or run.
"""

__version__ = "0.1.0"
