"""Package data for helpers.build.site: the Sphinx templates and the stylesheet of the reader's edition."""
