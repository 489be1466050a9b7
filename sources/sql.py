"""Small helpers for writing DuckDB SQL from Python."""


def sql_string(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def ensure_table(connection, name: str, columns: dict[str, str]) -> None:
    """Create the table if it is missing, and add the columns it gained since it was created."""
    ddl = ", ".join(f"{column} {sql_type}" for column, sql_type in columns.items())
    connection.execute(f"create table if not exists {name} ({ddl})")
    for column, sql_type in columns.items():
        connection.execute(f"alter table {name} add column if not exists {column} {sql_type}")
