"""The build: ``python -m helpers run`` from notebooks and a package to a published site.

Owns which notebooks tell a package's story (:mod:`.story`), the ``run`` command (:mod:`.run`, its entry) and its
parts: the command line (:mod:`.cli`), the run's settings (:mod:`.settings`), executing notebooks
(:mod:`.workers`) in warm kernels (:mod:`.kernels`), cleaning them (:mod:`.clean`), content keys (:mod:`.cache`),
the output folder (:mod:`.publish`) and the build and refresh modes (:mod:`.modes`); the reader's site
(:mod:`.site`, :mod:`.sitekit`, its editions built at once by :mod:`.forked` once :mod:`.siteprep` has loaded what
they share, :mod:`.offline`, which checks that it fetches nothing, :mod:`.search`, its search terms,
:mod:`.searchtext`, the pages' text for the search's excerpts, :mod:`.downloads`, :mod:`.codebook` and
:mod:`.lighten`), JupyterLab's contents manager for students (:mod:`.lab`), nbval's kernels forked from a zygote
(:mod:`.kernelfork`, the zygote :mod:`.zygote`), clients ready at their kernel's word (:mod:`.readiness`) and the
project's pytest plugin (:mod:`.pytest_plugin`).

May import: every layer below it (:mod:`helpers.reader`, :mod:`helpers.drafting`, :mod:`helpers.core`).
"""
