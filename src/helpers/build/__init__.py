"""The build: ``python -m helpers run`` from notebooks and a package to a published site.

Owns which notebooks tell a package's story (:mod:`.story`), the run's command line, execution, cleaning,
cache and publication (:mod:`.run`), the reader's site (:mod:`.site`, :mod:`.sitekit`) and the project's
pytest plugin (:mod:`.pytest_plugin`).

May import: every layer below it (:mod:`helpers.reader`, :mod:`helpers.drafting`, :mod:`helpers.core`).
"""
