"""The command line: parse options, call one core function, render the result.

Commands live in one module per area and are loaded when first used (see `COMMAND_MODULES`).
"""

import atexit
import gc
import os

# A search multiplies one query vector; numpy's BLAS would start a worker thread per core
# when it loads, and each spins for about 0.1 s of CPU before it sleeps, slowing the
# command whenever the machine has other work. A value set by the user is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from studyplan.cli.app import COMMAND_MODULES, main

__all__ = ["COMMAND_MODULES", "main"]

# The process ends with its one command. At exit the interpreter runs the garbage collector
# over every object still alive (about 30 ms after a search: numpy, onnxruntime, rich), only
# to free memory the operating system takes back anyway; frozen objects are left out of it.
# Nothing relies on those passes: commands close their files and the database themselves.
atexit.register(gc.freeze)
