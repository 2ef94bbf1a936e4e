"""`migraine config`: the effective settings and where each came from.

Only typer is imported at module level; the settings are read inside the command.
"""

from __future__ import annotations

import typer

from migraine_diary.cli.common import Json, State, print_json, say, settings_of

app = typer.Typer()


@app.command()
def config(ctx: typer.Context, json: Json = False) -> None:
    """The settings in effect and where each came from: an option, the environment, the
    config file (config.toml in your user config folder, or the file MIGRAINE_DIARY_CONFIG
    names) or the default. The first of these that is set wins. A password in a URL is
    never shown.

    Example: migraine config
    """
    from migraine_diary.diary import files
    from migraine_diary.diary.settings import KEYS, masked

    settings = settings_of(ctx)
    state_config = ctx.ensure_object(State).config
    shown = {}
    for name, setting in settings.items():
        value = setting.value
        if name == "db" and (value is None or "://" not in value):
            value = str(files.diary_path(None if value is None else str(value)))
        shown[name] = (masked(value) if isinstance(value, str) else value, setting.source)
    exists = state_config is not None and state_config.is_file()
    if json:
        print_json(
            {
                "config_file": {"path": str(state_config), "exists": exists},
                "settings": {
                    name: {"value": value, "source": source}
                    for name, (value, source) in shown.items()
                },
            }
        )
        return
    from migraine_diary.render.tables import Column, table
    from migraine_diary.render.terminal import console

    say(f"Config file: {state_config}" + ("" if exists else " (none there)"))
    columns = (
        Column("setting"),
        Column("value", figure=False, narrowest=16),
        Column("from", figure=False, narrowest=12),
        Column("meaning", figure=False, narrowest=20, drop=1),
    )
    rows = [
        [name, "-" if value is None else str(value), source, KEYS[name].help]
        for name, (value, source) in shown.items()
    ]
    console.print(table(columns, rows))
