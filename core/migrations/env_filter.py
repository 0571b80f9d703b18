"""What Alembic's autogenerate and the schema test leave out of the model comparison."""


def include_object(obj, name, type_, reflected, compare_to):
    # search indexes are expression indexes made by hand (0005); models do not declare them
    return not (type_ == "index" and name and name.startswith("ix_search_"))
