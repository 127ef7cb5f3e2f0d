"""What each generated file contains, as typed objects that templates print.

One module per generated layer, each building the objects its templates print (a column,
a schema field, a route) from the normalised project in `schema/`, with the imports a
file needs gathered from those objects:

    model.py       ModelView: a model's names, levels, owner and field groups; its layers
    orm.py         models/<model>.py: columns and relationships
    schemas.py     schemas/<model>.py: request and response fields
    routes.py      routers/<model>.py: each route's method, path, dependencies, parameters
    crud.py        crud/<model>.py: references checked on writes, ownership queries
    tests.py       tests/: valid and invalid payloads, the resources the suite walks
    migrations.py  migrations/versions/0001_initial.py: tables, constraints, indexes
    project.py     ProjectView: every model, and the shared modules (type map, README)

What a field type contributes comes from the type table, schema/field_types.py.
"""

from .model import FieldView, ModelView
from .project import ProjectView

__all__ = ["FieldView", "ModelView", "ProjectView"]
