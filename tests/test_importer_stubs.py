"""Stub sections of imported notes fold into their neighbours instead of filling search lists:
a heading over links alone, "Related reading", a few words introducing sub-sections."""

from __future__ import annotations

from pathlib import Path

from studyplan.adapters.content.importer import import_document

NOTES = Path(__file__).resolve().parents[1] / "bench" / "notes" / "ml-engineering"
PROSE = "The engine batches requests as they arrive and pages the KV cache in blocks. " * 3


def sections(tmp_path: Path, text: str) -> dict[str, str]:
    doc = tmp_path / "serving.md"
    doc.write_text(text, encoding="utf-8")
    return {s.title: s.text for s in import_document(doc).sections}


def test_a_heading_over_a_link_joins_its_parent_section(tmp_path: Path) -> None:
    found = sections(
        tmp_path,
        f"# Serving\n\n## Frameworks\n\n{PROSE}\n\n### vLLM\n\n[vLLM](https://github.com/x/vllm)\n\n"
        "### SGLang\n\n[SGLang](https://github.com/x/sglang) from [the team](https://x.org).\n",
    )
    assert list(found) == ["Serving: Frameworks"]
    text = found["Serving: Frameworks"]
    assert text.startswith(PROSE.strip())
    # Each stub's heading is kept, its text after it unless it only repeats the heading.
    assert text.endswith("vLLM\n\nSGLang\nSGLang from the team.")


def test_a_link_list_without_a_parent_is_dropped(tmp_path: Path) -> None:
    found = sections(
        tmp_path,
        f"# Serving\n\n## Paging\n\n{PROSE}\n\n## Related reading\n\n"
        "- [Efficient Memory Management for LLM Serving](https://arxiv.org/abs/2309.06180)\n"
        "- [Moved to the debugging chapter](../debug.md)\n",
    )
    assert list(found) == ["Serving: Paging"]
    assert "Efficient Memory" not in found["Serving: Paging"]


def test_a_short_intro_opens_its_first_sub_section(tmp_path: Path) -> None:
    found = sections(
        tmp_path,
        "# Inference\n\n## Prefill and Decode\n\nWhen doing inference there are 2 stages:\n\n"
        f"### Prefill\n\n{PROSE}\n\n### Decode\n\n{PROSE}\n",
    )
    assert list(found) == [
        "Inference: Prefill and Decode — Prefill",
        "Inference: Prefill and Decode — Decode",
    ]
    assert found["Inference: Prefill and Decode — Prefill"].startswith(
        "When doing inference there are 2 stages:\n\nThe engine batches"
    )


def test_short_prose_and_a_document_of_stubs_stay(tmp_path: Path) -> None:
    found = sections(tmp_path, "# Notes\n\n## KV cache\n\nKeys and values are cached.\n")
    assert found == {"Notes: KV cache": "Keys and values are cached."}
    moved = sections(tmp_path, "# Old\n\n## Tiny models\n\nMoved to [Debugging](debug.md).\n")
    assert moved == {"Old: Tiny models": "Moved to Debugging."}  # nothing else to keep


def test_real_notes_lose_their_stubs() -> None:
    inference = import_document(NOTES / "tune" / "inference" / "README.md")
    titles = [s.title for s in inference.sections]
    for stub in ("vLLM", "SGLang", "LightLLM", "LMDeploy", "DeepSpeed-FastGen", "Groq"):
        assert not any(t.endswith(f"— {stub}") for t in titles), stub
    frameworks = next(s for s in inference.sections if s.title == "Inference: Inference frameworks")
    assert "vLLM" in frameworks.text and "SGLang" in frameworks.text
    prefill = next(
        s for s in inference.sections if s.title.endswith("Prefill and Decode — Prefill")
    )
    assert prefill.text.startswith("When doing inference there are 2 stages:")
    parallelism = import_document(NOTES / "tune" / "training" / "model-parallelism" / "README.md")
    assert not any(s.title.endswith("Related reading") for s in parallelism.sections)
    # Every section left says something of its own.
    for section in [*inference.sections, *parallelism.sections]:
        assert len(section.text.split()) >= 8, section.title
