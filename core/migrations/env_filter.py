"""What Alembic's autogenerate and the schema test leave out of the model comparison."""

from sqlalchemy.schema import SchemaItem


def include_object(obj: SchemaItem, name: str | None, type_: str, reflected: bool,
                   compare_to: SchemaItem | None) -> bool:

    # search indexes are expression indexes made by hand (0005); models do not declare them
    return not (type_ == "index" and name and name.startswith("ix_search_"))
