"""The note types, decks and settings of an Anki collection, checked as they are read.

Schema 11 collections (package formats 1 and 2) keep them as JSON in the `col` row; schema 18
(format 3) in tables of their own, with protobuf settings. What Anki never writes there (JSON
of another shape, nested past what the parser takes, larger than MAX_JSON_BYTES; a template
over MAX_TEXT_BYTES) makes the collection unreadable: one DamagedCollection line. Deck names
are read up to MAX_DECK_NAME characters, as cards record them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from studyplan.adapters.anki import limits
from studyplan.adapters.anki.limits import whole
from studyplan.adapters.anki.protobuf import ProtobufError, first_int, first_text, message_fields
from studyplan.adapters.content.cards import MAX_DECK_NAME
from studyplan.adapters.structured import parse_json

MAX_SETTING_BYTES = 64 * 1024  # one schema-18 setting (a number, a flag)
MAX_NOTETYPE_BYTES = 4 * 1024 * 1024  # a schema-18 note type's settings (its CSS mostly)
Settings = tuple[dict[str, Any], dict[int, "NoteType"], dict[int, str]]  # config, note types, decks


class DamagedCollection(ValueError):
    """The collection holds what Anki never writes; the message says what."""


@dataclass(frozen=True, slots=True)
class NoteType:
    id: int
    name: str
    cloze: bool
    fields: tuple[str, ...]
    templates: dict[int, tuple[str, str]]  # card ord -> (question, answer) template


def limit(db: sqlite3.Connection, size: int) -> None:
    """Values over `size` bytes are not read (a query meeting one raises DataError), so a value
    the import does not keep is never loaded into memory."""
    db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, size)


def schema_11(db: sqlite3.Connection) -> Settings:
    conf = col_value(db, "conf", "settings (conf)")
    config = _json_object(conf, "settings (conf)", empty_when_null=True)
    models = col_value(db, "models", "note types (models)")
    notetypes = _notetypes_11(_json_object(models, "note types (models)"))
    decks = col_value(db, "decks", "decks")
    return config, notetypes, _decks_11(_json_object(decks, "decks"))


def schema_18(db: sqlite3.Connection) -> Settings:
    config = _config_18(db)
    notetypes = _notetypes_18(db)
    limit(db, limits.MAX_TEXT_BYTES)
    deck_names = {
        number: str(name).replace("\x1f", "::")[:MAX_DECK_NAME]
        for key, name in db.execute("SELECT id, substr(name, 1, ?) FROM decks", (MAX_DECK_NAME,))
        if (number := whole(key)) is not None
    }
    return config, notetypes, deck_names


def col_value(db: sqlite3.Connection, column: str, what: str) -> object:
    limit(db, limits.MAX_JSON_BYTES)
    try:
        row = db.execute(f"SELECT {column} FROM col").fetchone()
    except sqlite3.DataError:
        raise DamagedCollection(
            f"its {what} are over {limits.MAX_JSON_BYTES // 1024**2} MiB of JSON"
        ) from None
    if row is None:
        raise DamagedCollection("its collection settings (col) are missing")
    return row[0]


def _json_object(value: object, what: str, empty_when_null: bool = False) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    if not isinstance(value, str | bytes):
        raise DamagedCollection(f"its {what} are not what Anki writes")
    try:
        parsed = parse_json(value)
    except ValueError:
        raise DamagedCollection(f"its {what} are not readable JSON") from None
    if parsed is None and empty_when_null:
        return {}
    if not isinstance(parsed, dict):
        raise DamagedCollection(f"its {what} are not what Anki writes")
    return parsed


def _config_18(db: sqlite3.Connection) -> dict[str, Any]:
    config: dict[str, Any] = {}
    limit(db, MAX_SETTING_BYTES)
    for key, value in db.execute(
        "SELECT key, val FROM config WHERE key IN ('creationOffset', 'rollover', 'fsrs')"
    ):
        try:
            config[str(key)] = parse_json(value) if isinstance(value, str | bytes) else None
        except ValueError:
            raise DamagedCollection("its settings (config) are not readable JSON") from None
    return config


def _notetypes_11(models: dict[str, Any]) -> dict[int, NoteType]:
    found: dict[int, NoteType] = {}
    try:
        for key, model in models.items():
            fields = sorted(model["flds"], key=lambda f: _ord(f["ord"]))
            templates = {
                _ord(t["ord"]): (_template(t["qfmt"]), _template(t["afmt"])) for t in model["tmpls"]
            }
            found[int(key)] = NoteType(
                int(key),
                _string(model["name"]),
                model.get("type") == 1,
                tuple(_string(f["name"]) for f in fields),
                templates,
            )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise DamagedCollection("its note types (models) are not what Anki writes") from None
    return found


def _decks_11(decks: dict[str, Any]) -> dict[int, str]:
    try:
        return {int(key): _string(deck["name"])[:MAX_DECK_NAME] for key, deck in decks.items()}
    except (KeyError, TypeError, ValueError):
        raise DamagedCollection("its decks are not what Anki writes") from None


def _ord(value: object) -> int:
    number = whole(value)
    if number is None:
        raise TypeError("not a card or field number")
    return number


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


def _template(value: object) -> str:
    text = _string(value)
    if len(text) > limits.MAX_TEXT_BYTES:
        raise DamagedCollection(f"a card template is over {limits.MAX_TEXT_BYTES // 1024**2} MiB")
    return text


def _notetypes_18(db: sqlite3.Connection) -> dict[int, NoteType]:
    fields: dict[int, list[tuple[int, str]]] = {}
    templates: dict[int, dict[int, tuple[str, str]]] = {}
    found: dict[int, NoteType] = {}
    limit(db, MAX_NOTETYPE_BYTES)
    try:
        for ntid, ord_, name in db.execute("SELECT ntid, ord, name FROM fields"):
            fields.setdefault(_ord(ntid), []).append((_ord(ord_), str(name)))
        for ntid, ord_, config in db.execute("SELECT ntid, ord, config FROM templates"):
            parts = message_fields(_blob(config, 2 * limits.MAX_TEXT_BYTES + 1024))
            templates.setdefault(_ord(ntid), {})[_ord(ord_)] = (
                _template(first_text(parts, 1)),
                _template(first_text(parts, 2)),
            )
        for ntid, name, config in db.execute("SELECT id, name, config FROM notetypes"):
            kind = first_int(message_fields(_blob(config, MAX_NOTETYPE_BYTES)), 1)
            number = _ord(ntid)
            names = tuple(n for _, n in sorted(fields.get(number, [])))
            found[number] = NoteType(number, str(name), kind == 1, names, templates.get(number, {}))
    except (TypeError, ProtobufError, sqlite3.DataError):
        raise DamagedCollection("its note types are not what Anki writes") from None
    return found


def _blob(value: object, limit: int) -> bytes:
    data = value.encode("utf-8") if isinstance(value, str) else value
    if not isinstance(data, bytes) or len(data) > limit:
        raise TypeError("not a protobuf message of a readable size")
    return data
