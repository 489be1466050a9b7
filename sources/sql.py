"""Small helpers for writing DuckDB SQL from Python."""


def sql_string(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"
