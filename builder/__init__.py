"""Backend Builder's visual builder: a web app on the schema plugin and the Copier template.

Start it with `python -m builder` from the repository root; see builder/README.md.
"""
