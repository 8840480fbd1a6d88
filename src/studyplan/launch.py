"""The `studyplan` command's entry point: the settings that belong to a process that runs
one command and ends, then the CLI.

- The cyclic garbage collector pauses while click, rich and the command's modules load:
  they build objects that live as long as the process, and no garbage cycles, so its passes
  over them cost about 10 ms of a 0.15 s `today`. The CLI turns it back on, with everything
  loaded by then frozen out of its passes, once the command's own module is loaded
  (StudyplanGroup.get_command).
- At exit the interpreter would run the collector over every object still alive (about
  30 ms after a search: numpy, onnxruntime, rich), only to free memory the operating system
  takes back anyway; freezing them first leaves them out. Commands close their files and the
  database themselves, so nothing relies on those passes.
- A search multiplies one query vector; numpy's BLAS would start a worker thread per core
  when it loads, each spinning for about 0.1 s of CPU before it sleeps, which slows the
  command whenever the machine has other work. A value the user set is kept.
- Output never fails on a character the terminal's encoding lacks (PYTHONIOENCODING=ascii)
  or on a file name that is not UTF-8: such a character prints as a replacement mark.
"""

from __future__ import annotations

import atexit
import gc
import io
import os
import sys


def run() -> None:
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    atexit.register(gc.freeze)
    gc.disable()
    from studyplan.cli import main

    main()
