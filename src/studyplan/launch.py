"""The `studyplan` command's entry point: the CLI, with the cyclic garbage collector paused
while the code loads.

Loading click, rich and a command's modules builds objects that live as long as the process,
and no garbage cycles; the collector's passes over them cost about 10 ms of a 0.15 s `today`.
The CLI turns the collector back on, with everything loaded by then frozen out of its passes,
once the command's own module is loaded (StudyplanGroup.get_command).
"""

from __future__ import annotations

import gc


def run() -> None:
    gc.disable()
    from studyplan.cli import main

    main()
