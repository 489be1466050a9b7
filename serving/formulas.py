"""Text a spreadsheet would run: a cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or
a carriage return before one) is read by Excel and LibreOffice as a formula, which can fetch a
URL or run a command (CSV injection). An export a person may open in a spreadsheet writes such
text with a leading apostrophe: the spreadsheet shows it as text and runs nothing."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """``text`` as a spreadsheet cell that is never evaluated."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
