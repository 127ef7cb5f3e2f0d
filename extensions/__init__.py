"""The Jinja side of the template: what Copier loads to render `template/`.

`backend.py` holds the extensions named in copier.yml; `views/` turns the normalised
project from `schema/` into typed objects of what each generated file contains, which
the templates print.

Modules here import the schema plugin as `.schema`: the `schema/` package of the same
checkout. Copier loads this package under a name unique to the checkout (see
backend.py: during `copier update` the old and the new template each use their own
code); tests and tools import it as the top-level `extensions`, beside `schema`.
"""

import sys

if "." in __name__:  # <checkout package>.extensions, loaded by backend.py
    from .. import schema
else:  # `import extensions` from the repository root
    import schema

sys.modules[f"{__name__}.schema"] = schema
