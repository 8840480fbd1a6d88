"""The command line: parse options, call one core function, render the result.

Commands live in one module per area and are loaded when first used (see `COMMAND_MODULES`).
The `studyplan` command starts here through studyplan.launch.
"""

from studyplan.cli.app import COMMAND_MODULES, main

__all__ = ["COMMAND_MODULES", "main"]
