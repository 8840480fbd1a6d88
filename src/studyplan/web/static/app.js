// studyplan's pages: reveal the answer, grade with the keys 0-5, typeset formulas, and
// set up the code editor. Loaded from this server only; the page runs no inline script.
"use strict";

function reveal() {
  const answer = document.getElementById("answer");
  const button = document.getElementById("reveal");
  if (!answer || !answer.hidden) return false;
  answer.hidden = false;
  if (button) button.hidden = true;
  return true;
}

function typing(event) {
  const target = event.target;
  return target.closest && target.closest("input, textarea, select, [contenteditable], .CodeMirror");
}

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) return;
  const answer = document.getElementById("answer");
  if ((event.key === " " || event.key === "Enter") && answer && answer.hidden) {
    event.preventDefault();
    reveal();
    return;
  }
  if (/^[0-5]$/.test(event.key) && answer && !answer.hidden) {
    const button = document.querySelector('[data-testid="grade-' + event.key + '"]');
    if (button) {
      event.preventDefault();
      button.click();
    }
  }
}

function typeset() {
  if (typeof katex === "undefined") return;
  for (const element of document.querySelectorAll(".math")) {
    katex.render(element.textContent, element, {
      displayMode: element.classList.contains("math-display"),
      throwOnError: false,
      trust: false,
    });
  }
}

// The code editor: CodeMirror (vendored) with Python highlighting and indentation; without
// it, the text area, where Tab indents by four spaces instead of leaving the box.
function editor() {
  const area = document.querySelector('textarea[data-language="python"]');
  if (!area) return;
  if (typeof CodeMirror === "undefined") {
    area.addEventListener("keydown", (event) => {
      if (event.key !== "Tab" || event.ctrlKey || event.metaKey || event.altKey) return;
      event.preventDefault();
      area.setRangeText("    ", area.selectionStart, area.selectionEnd, "end");
    });
    return;
  }
  CodeMirror.fromTextArea(area, {
    mode: "python",
    lineNumbers: true,
    indentUnit: 4,
    matchBrackets: true,
    viewportMargin: Infinity,
    extraKeys: {
      Tab: (cm) => cm.somethingSelected() ? cm.indentSelection("add") : cm.replaceSelection("    ", "end"),
      "Shift-Tab": (cm) => cm.indentSelection("subtract"),
    },
  });
}

// A form is sent once: a second click while the first is on its way does nothing.
function sendOnce(event) {
  const form = event.target;
  if (form.dataset.sent) {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "1";
}

// A part of the page that takes the server a while comes after it: fetched, then put in place.
async function fillFragments() {
  for (const element of document.querySelectorAll("[data-fragment]")) {
    const answer = await fetch(element.dataset.fragment, { credentials: "same-origin" });
    if (!answer.ok) continue;
    const html = await answer.text();
    const parsed = new DOMParser().parseFromString(html, "text/html");
    const part = parsed.getElementById(element.id);
    if (part) element.replaceWith(document.importNode(part, true));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("reveal");
  if (button) button.addEventListener("click", reveal);
  document.addEventListener("keydown", onKey);
  for (const form of document.querySelectorAll("form[method=post]")) {
    form.addEventListener("submit", sendOnce);
  }
  typeset();
  editor();
  fillFragments();
});
