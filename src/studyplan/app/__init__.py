"""Use cases: one function per command, joining the core with the adapters for a workspace.

The command line calls these and renders what they return; nothing here prints or parses
options.
"""
