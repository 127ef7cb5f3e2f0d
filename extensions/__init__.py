"""The Jinja side of the template: what Copier loads to render `template/`.

`backend.py` holds the extensions named in copier.yml; `codegen.py` turns the
normalised project from `schema/` into the names, types and lines templates print.
"""
