"""The command line: Typer only. Nothing imports this package but `__main__`."""
