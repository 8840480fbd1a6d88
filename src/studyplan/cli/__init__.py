"""The command line: parse options, call one core function, render the result."""

from studyplan.cli import calendar_commands, progress_commands, search_commands, study_commands
from studyplan.cli.app import main

__all__ = ["calendar_commands", "main", "progress_commands", "search_commands", "study_commands"]
