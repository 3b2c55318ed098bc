"""Where things live in the repository: the one place that computes a path from this package's location.

Every module that needs the project's folders (the data package, the notebooks, the lock files) reads them
here, so that moving a module never changes where it looks.
"""

from __future__ import annotations

from pathlib import Path

#: ``src/helpers``: the package itself (its source is part of every executed notebook's content key).
HELPERS = Path(__file__).resolve().parents[1]
#: The repository's top folder (holding ``pyproject.toml``).
REPO = HELPERS.parents[1]
#: The report's curated data package.
DATA = REPO / "data"
#: The committed notebooks, and the generic walkthroughs for packages that list none of their own.
NOTEBOOKS = REPO / "notebooks"
GENERIC_NOTEBOOKS = NOTEBOOKS / "generic"
#: Where the source texts live, beside the checkout (the project never holds a report's sentences): a package's
#: first source may point here (``../shared/source/…``) as well as inside its own folder.
SHARED_SOURCES = REPO.parent / "shared" / "source"
#: The pinned environment: what the notebooks and the site need (``make report``).
LOCK_FILE = REPO / "requirements.lock"
