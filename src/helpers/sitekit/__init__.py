"""Package data for helpers.site: the Sphinx templates and the stylesheet of the reader's edition."""
