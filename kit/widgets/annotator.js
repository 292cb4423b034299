// Highlight-to-annotate widget and read-only article reader (anywidget ES module).
//
// Security rule for this file: everything that comes from data (article text, headlines,
// notes, tag labels, hint reasons, explanations) reaches the page through text nodes and
// `textContent` only. No innerHTML, no insertAdjacentHTML, no attribute that can run code.
//
// Offsets: every offset this file sees or sends is a UTF-16 index into `_doc.text`, the way
// JavaScript counts. The Python side converts to and from code points in one place.

const COLOUR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const GREY = "#7F7F7F";
// How a tag's highlights are underlined (from the taxonomy): tags differ by more than colour.
const UNDERLINES = new Set(["solid", "dashed", "dotted", "double", "wavy"]);
// While the widget is on screen, ask Python this often to re-read the learner's file, so
// highlights saved from another notebook appear (a file-status check, nothing heavy).
const REFRESH_MS = 5000;
// How strongly a highlight tints its words (tests/test_taxonomy.py checks the tints at this).
const TINT = 0.3;
// A word for the keyboard caret: letters, digits, marks, emoji, currency, with inner
// apostrophes, dots, commas and hyphens ("don't", "U.S", "1,000", "well-known"), and a % sign.
const WORD =
  /[$€£¥]?[\p{L}\p{N}\p{M}\p{Extended_Pictographic}]+(?:['’.,\-][\p{L}\p{N}\p{M}]+)*%?/gu;

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "style") for (const [p, v] of Object.entries(value)) node.style.setProperty(p, v);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function safeColour(value) {
  return typeof value === "string" && COLOUR.test(value) ? value : GREY;
}

function safeUnderline(value) {
  return UNDERLINES.has(value) ? value : "solid";
}

// Visual style of a tag: its colour and its underline, as CSS variables for the style sheet.
function tagStyle(tag) {
  return { "--kit-c": safeColour(tag.colour), "--kit-u": safeUnderline(tag.underline) };
}

function tint(hex, alpha) {
  let h = safeColour(hex).slice(1);
  if (h.length === 3) h = [...h].map((c) => c + c).join("");
  const n = parseInt(h, 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

function quote(text, max = 80) {
  const flat = text.replace(/\s+/g, " ").trim();
  return `“${flat.length > max ? flat.slice(0, max - 1) + "…" : flat}”`;
}

function isHighSurrogate(code) {
  return code >= 0xd800 && code <= 0xdbff;
}

// Keep a UTF-16 offset off the middle of a surrogate pair (an emoji is two units here).
function snapPair(text, offset, direction) {
  if (offset > 0 && offset < text.length && isHighSurrogate(text.charCodeAt(offset - 1))) {
    return direction < 0 ? offset - 1 : offset + 1;
  }
  return offset;
}

export function tokenize(text, paragraphs) {
  const tokens = [];
  paragraphs.forEach((p, index) => {
    const chunk = text.slice(p.start, p.end);
    for (const m of chunk.matchAll(WORD)) {
      tokens.push({ start: p.start + m.index, end: p.start + m.index + m[0].length, para: index });
    }
  });
  return tokens;
}

// Trim white space and widen a raw selection to whole words, so a sloppy drag that starts
// or ends inside a word still tags the word.
export function snapToWords(text, tokens, start, end) {
  if (end < start) [start, end] = [end, start];
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  if (start >= end) return null;
  for (const t of tokens) {
    if (t.start < start && start < t.end) start = t.start;
    if (t.start < end && end < t.end) end = t.end;
  }
  start = snapPair(text, start, -1);
  end = snapPair(text, end, +1);
  return { start, end };
}

function render({ model, el: host }) {
  const state = {
    sel: null, // pending selection {start, end}
    caret: -1, // keyboard: index into tokens
    anchor: -1,
    open: null, // {at: offset, para: index} of the open detail panel
    request: 0,
    help: false,
    keyboard: false, // show the word caret only while the keyboard drives the text
  };
  const cleanups = [];
  const listen = (target, type, fn, opts) => {
    target.addEventListener(type, fn, opts);
    cleanups.push(() => target.removeEventListener(type, fn, opts));
  };
  const onModel = (name, fn) => {
    model.on(name, fn);
    cleanups.push(() => model.off(name, fn));
  };

  const doc = () => model.get("_doc") || { text: "", paragraphs: [], boilerplate: [] };
  const mode = () => model.get("mode") || "annotate";
  const tags = () => model.get("_tags") || [];
  const tagById = (id) =>
    tags().find((t) => t.id === id) || { id, label: id, colour: GREY, definition: "" };
  const enabledTags = () => tags().filter((t) => t.enabled);
  const showKey = () => Boolean(model.get("show_key")) && mode() === "annotate";
  const editable = () => mode() === "annotate" && !showKey();

  let tokens = [];
  let docText = "";
  const retokenize = () => {
    const d = doc();
    docText = d.text || "";
    tokens = tokenize(docText, d.paragraphs || []);
    state.caret = state.anchor = -1;
    state.sel = null;
    state.open = null;
  };

  // ---------------------------------------------------------------- skeleton
  // Keys pressed inside the widget are the widget's: JupyterLab and Notebook 7 (Lumino) skip
  // their notebook shortcuts ("1" = heading, arrows = next cell) below this attribute.
  const root = el("div", {
    class: "kit-annotator",
    "data-mode": mode(),
    "data-lm-suppress-shortcuts": "true",
    "data-p-suppress-shortcuts": "true",
  });
  const picker = el("div", { class: "kit-picker" });
  const header = el("div", { class: "kit-header" });
  const toolbar = el("div", { class: "kit-toolbar", role: "toolbar", "aria-label": "Tags" });
  const helpBox = el("div", { class: "kit-help", id: `kit-help-${Math.random().toString(36).slice(2)}` });
  const status = el("div", { class: "kit-status", role: "status", "aria-live": "polite" });
  const banner = el("div", { class: "kit-banner" });
  const text = el("div", { class: "kit-text" });
  const legend = el("div", { class: "kit-legend" });
  // Toolbar and status stay in view (sticky) while the learner scrolls through a long text.
  const bar = el("div", { class: "kit-bar" }, toolbar, status);
  root.append(picker, header, helpBox, bar, banner, text, legend);
  host.replaceChildren(root);

  const say = (message) => {
    status.textContent = message;
  };

  // ---------------------------------------------------------------- marks
  function marks() {
    const out = [];
    if (mode() === "annotate") {
      const source = showKey() ? model.get("_key") || [] : model.get("_highlights") || [];
      source.forEach((m, i) => {
        out.push({ ...m, type: showKey() ? "key" : "hl", key: m.id || `key-${i}` });
      });
    }
    if (model.get("show_hints")) {
      // A hint the learner already tagged the same way has done its job: hide it.
      const done = new Set(out.filter((m) => m.type === "hl").map((m) => `${m.start}:${m.end}:${m.tag}`));
      (model.get("_hints") || []).forEach((m, i) => {
        if (!done.has(`${m.start}:${m.end}:${m.tag}`)) out.push({ ...m, type: "hint", key: `hint-${i}` });
      });
    }
    return out;
  }

  function counts() {
    const c = {};
    const source = showKey() ? model.get("_key") || [] : model.get("_highlights") || [];
    for (const m of source) c[m.tag] = (c[m.tag] || 0) + 1;
    return c;
  }

  // ---------------------------------------------------------------- header, picker, toolbar
  function renderPicker() {
    const choices = model.get("_choices") || [];
    picker.replaceChildren();
    if (choices.length < 2) return;
    const id = `kit-pick-${Math.random().toString(36).slice(2)}`;
    const select = el("select", { id, class: "kit-select" });
    for (const c of choices) {
      const option = el("option", { value: c.id, text: c.label });
      if (c.id === model.get("selected")) option.selected = true;
      select.append(option);
    }
    select.addEventListener("change", () => {
      model.set("selected", select.value);
      model.save_changes();
    });
    picker.append(el("label", { for: id, text: "Article " }), select);
  }

  function renderHeader() {
    const d = doc();
    header.replaceChildren();
    const meta = [];
    meta.push(d.outlet && d.outlet !== "unknown" ? d.outlet : "Outlet unknown");
    if (d.byline && d.byline !== "unknown") meta.push(d.byline);
    meta.push(d.published && d.published !== "unknown" ? d.published : "date unknown");
    header.append(
      el("div", { class: "kit-meta" }, el("span", { class: "kit-id", text: `Article ${d.id ?? ""}` }), ` · ${meta.join(" · ")}`),
    );
    if (!d.headline_span) header.append(el("div", { class: "kit-headline", text: "(headline unknown)" }));
  }

  function tagButton(tag, number, count) {
    const button = el(
      "button",
      {
        type: "button",
        class: "kit-tag",
        "data-tag": tag.id,
        title: tag.definition,
        "aria-keyshortcuts": number <= 9 ? String(number) : undefined,
        "aria-label": `${tag.label}${number <= 9 ? ` (key ${number})` : ""}, ${count} tagged`,
        style: tagStyle(tag),
        disabled: !editable(),
      },
      el("span", { class: "kit-swatch", "aria-hidden": "true" }),
      number <= 9 ? el("kbd", { class: "kit-num", "aria-hidden": "true", text: String(number) }) : null,
      el("span", { class: "kit-tag-label", text: tag.label }),
      el("span", { class: "kit-count", "aria-hidden": "true", text: String(count) }),
    );
    // Keep the text selection and focus where they are while the tag is applied.
    button.addEventListener("mousedown", (e) => e.preventDefault());
    button.addEventListener("click", (e) => {
      const range = applyTag(tag.id);
      // Chosen with the keyboard (Enter or Space: a click with no pointer detail): back to
      // the text, the caret on the first word after the new highlight.
      if (range && e.detail === 0) caretAfter(range.end);
    });
    return button;
  }

  function toggle(label, pressed, onClick, extra = {}) {
    const b = el("button", { type: "button", class: "kit-toggle", "aria-pressed": String(Boolean(pressed)), ...extra }, label);
    b.addEventListener("click", onClick);
    return b;
  }

  // Rebuild the toolbar only when its buttons change; otherwise update counts and states in
  // place, so focus and a half-typed note survive a highlight arriving from Python.
  let toolbarShape = "";
  function renderToolbar() {
    const shape = JSON.stringify([mode(), enabledTags().map((t) => [t.id, t.label, t.colour, t.underline]), editable(), Boolean(model.get("_key_available"))]);
    if (shape === toolbarShape && toolbar.firstChild) {
      const c = counts();
      for (const b of toolbar.querySelectorAll(".kit-tag")) {
        const n = c[b.dataset.tag] || 0;
        b.querySelector(".kit-count").textContent = String(n);
        b.setAttribute("aria-label", b.getAttribute("aria-label").replace(/, \d+ tagged$/, `, ${n} tagged`));
      }
      const press = (selector, on) => {
        const b = toolbar.querySelector(selector);
        if (b) b.setAttribute("aria-pressed", String(Boolean(on)));
      };
      press(".kit-hints-toggle", model.get("show_hints"));
      press(".kit-key-toggle", model.get("show_key"));
      press(".kit-help-toggle", state.help);
      const note = toolbar.querySelector(".kit-note");
      if (note && note.value !== noteDraft) note.value = noteDraft;
      return;
    }
    toolbarShape = shape;
    toolbar.replaceChildren();
    if (mode() !== "annotate") {
      toolbar.hidden = true;
      return;
    }
    toolbar.hidden = false;
    const c = counts();
    const group = el("div", { class: "kit-tags" });
    enabledTags().forEach((t, i) => group.append(tagButton(t, i + 1, c[t.id] || 0)));
    const note = el("input", {
      type: "text",
      class: "kit-note",
      placeholder: "Note (optional)",
      "aria-label": "Note for the next highlight (optional)",
      disabled: !editable(),
    });
    note.addEventListener("input", () => (noteDraft = note.value));
    note.value = noteDraft;
    const tools = el("div", { class: "kit-tools" }, note);
    tools.append(
      toggle("Show hints", model.get("show_hints"), () => {
        model.set("show_hints", !model.get("show_hints"));
        model.save_changes();
      }, { class: "kit-toggle kit-hints-toggle" }),
    );
    if (model.get("_key_available")) {
      tools.append(
        toggle("Answer key", model.get("show_key"), () => {
          model.set("show_key", !model.get("show_key"));
          model.save_changes();
        }, { class: "kit-toggle kit-key-toggle" }),
      );
    }
    tools.append(
      toggle("Keyboard help", state.help, () => {
        state.help = !state.help;
        renderToolbar();
        renderHelp();
      }, { class: "kit-toggle kit-help-toggle", "aria-controls": helpBox.id }),
    );
    toolbar.append(group, tools);
  }
  let noteDraft = "";

  function renderHelp() {
    helpBox.replaceChildren();
    helpBox.hidden = mode() !== "annotate";
    if (helpBox.hidden) return;
    helpBox.append(
      el("p", { class: "kit-hint-line" },
        "Select words with the mouse, then press a tag. Or click into the text (or Tab to it) and use the keyboard. Click a highlight to edit or delete it."),
    );
    if (!state.help) return;
    const rows = [
      ["← →", "move word by word"],
      ["Shift + ← →", "select more or fewer words"],
      ["↑ ↓ / Home End", "previous or next paragraph / its first or last word"],
      ["1 – 9", "tag the selected words with that tag"],
      ["Enter", "open the highlight or hint under the caret"],
      ["[ ]", "jump to the previous or next highlight"],
      ["Esc", "shrink the selection to one word, or close a panel"],
    ];
    // A real table: keys and what they do stay in two aligned columns whatever the notebook's
    // own styles do to description lists (JupyterLab floats <dt>/<dd> in outputs).
    const body = el("tbody");
    for (const [keys, what] of rows) {
      body.append(el("tr", {}, el("th", { scope: "row" }, el("kbd", { text: keys })), el("td", { text: what })));
    }
    helpBox.append(
      el("table", { class: "kit-keys" }, el("caption", { text: "Keys in the article text" }),
        el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Key" }), el("th", { scope: "col", text: "What it does" }))),
        body),
    );
  }

  function renderBanner() {
    banner.replaceChildren();
    banner.hidden = true;
    if (showKey()) {
      const n = (model.get("_key") || []).length;
      banner.hidden = false;
      banner.append(
        el("strong", { text: "Answer key" }),
        ` (read-only): ${n} marked passage${n === 1 ? "" : "s"}. Click one to read why. Turn it off to go back to your own highlights.`,
      );
    }
  }

  // ---------------------------------------------------------------- text
  function paragraphLabelAt(offset) {
    const d = doc();
    return (d.boilerplate || []).find((b) => b.start <= offset && offset < b.end);
  }

  function renderText() {
    const d = doc();
    root.dataset.mode = mode();
    text.replaceChildren();
    text.setAttribute("lang", d.language || "en");
    if (mode() === "annotate") {
      text.tabIndex = 0;
      text.setAttribute("role", "group");
      text.setAttribute("aria-roledescription", "annotatable article");
      text.setAttribute(
        "aria-label",
        "Article text. Arrow keys move word by word, Shift with arrows selects, 1 to 9 tags, Enter opens a highlight.",
      );
      text.setAttribute("aria-describedby", helpBox.id);
    } else {
      text.removeAttribute("tabindex");
      text.removeAttribute("role");
      text.removeAttribute("aria-label");
    }
    const all = marks();
    const kbd = state.keyboard && state.caret >= 0 && document.activeElement === text ? caretRange() : null;
    const labelled = new Set();
    (d.paragraphs || []).forEach((p, index) => {
      const furniture = (d.boilerplate || []).find((b) => b.start < p.end && p.start < b.end);
      if (furniture && !labelled.has(furniture.start)) {
        labelled.add(furniture.start);
        text.append(el("div", { class: "kit-furniture-label", text: `Page furniture: ${furniture.label || "not part of the article"}` }));
      }
      const isHeadline = d.headline_span && d.headline_span.start === p.start && d.headline_span.end === p.end;
      const para = el("div", {
        class: `kit-para${furniture ? " kit-furniture" : ""}${isHeadline ? " kit-headline-para" : ""}`,
        "data-para": String(index),
        "data-number": String(p.number),
      });
      para.append(el("span", { class: "kit-pnum", title: `Paragraph ${p.number}`, text: String(p.number) }));
      const body = el("span", { class: "kit-ptext" });
      fillParagraph(body, p, all, kbd);
      para.append(body);
      text.append(para);
      if (state.open && state.open.para === index) text.append(detailPanel(state.open.at));
    });
  }

  // Where a mark's text label goes: right after its last character. A hint's label never
  // splits a highlight or an answer-key mark: ending inside one, it moves to the nearest end
  // of a mark (where that mark's own label already stands).
  function chipEnd(m, all) {
    let end = m.end;
    if (m.type !== "hint") return end;
    const strong = all.filter((s) => s.type !== "hint");
    while (!strong.some((s) => s.end === end)) {
      const around = strong.filter((s) => s.start < end && end < s.end);
      if (!around.length) break;
      end = Math.min(...around.map((s) => s.end));
    }
    return end;
  }

  function chip(m) {
    const tag = tagById(m.tag);
    return el("span", {
      class: `kit-chip kit-chip-${m.type}`,
      style: tagStyle(tag),
      "data-for": m.key,
      // Hints are many: a short "Anonymous?" keeps the text readable; the full label
      // and the reason are in the tooltip and one click away.
      text: m.type === "hint" ? `${tag.label.split(/\s+/)[0]}?` : tag.label,
      title: m.type === "hint" ? `Hint: ${tag.label}` : undefined,
    });
  }

  function fillParagraph(body, p, all, kbd) {
    const paras = doc().paragraphs || [];
    const ends = new Map(all.map((m) => [m.key, chipEnd(m, all)]));
    const cuts = new Set([p.start, p.end]);
    const inside = all.filter((m) => m.start < p.end && p.start < m.end);
    for (const m of inside) {
      if (m.start > p.start) cuts.add(m.start);
      if (m.end < p.end) cuts.add(m.end);
    }
    // Labels of marks that end in this paragraph (a hint's label may have moved here).
    const labelled = all.filter((m) => m.start < p.end && p.start < ends.get(m.key));
    const endsAt = (m, b) => {
      const end = ends.get(m.key);
      return end === b || (b === p.end && end > p.end && !paras.some((q) => q.start >= p.end && q.start < end));
    };
    const head = doc().headline_span;
    for (const r of [state.sel, kbd, head]) {
      if (r && r.start < p.end && p.start < r.end) {
        cuts.add(Math.max(r.start, p.start));
        cuts.add(Math.min(r.end, p.end));
      }
    }
    const points = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i];
      const b = points[i + 1];
      const over = inside.filter((m) => m.start <= a && b <= m.end);
      const strong = over.filter((m) => m.type !== "hint");
      const hints = over.filter((m) => m.type === "hint");
      const seg = el(strong.length ? "mark" : "span", { class: "kit-seg", "data-s": String(a), "data-e": String(b) });
      seg.textContent = docText.slice(a, b);
      if (strong.length) {
        // The innermost (shortest) highlight tints the words and underlines them in its tag's
        // colour and style; each highlight around it adds a bar below (stacked bars).
        const ordered = [...strong].sort((x, y) => x.end - x.start - (y.end - y.start));
        const inner = tagById(ordered[0].tag);
        seg.classList.add("kit-hl", `kit-${ordered[0].type}`);
        const isOpen = state.open && strong.some((m) => m.start <= state.open.at && state.open.at < m.end);
        for (const [name, value] of Object.entries(tagStyle(inner))) seg.style.setProperty(name, value);
        seg.dataset.underline = safeUnderline(inner.underline);
        seg.style.setProperty("background-color", tint(inner.colour, isOpen ? 0.5 : TINT));
        const bars = ordered.slice(1).map((m, k) => `0 ${3 * (k + 1)}px 0 0 ${safeColour(tagById(m.tag).colour)}`);
        if (bars.length) seg.style.setProperty("box-shadow", bars.join(", "));
        if (ordered.length > 1) seg.classList.add("kit-overlap");
        seg.dataset.marks = ordered.map((m) => m.key).join(" ");
        seg.setAttribute("title", ordered.map((m) => tagById(m.tag).label + (m.note ? `: ${m.note}` : "")).join(" + "));
      }
      if (hints.length) {
        seg.classList.add("kit-hinted");
        seg.style.setProperty("--kit-hc", safeColour(tagById(hints[0].tag).colour));
        seg.dataset.hints = hints.map((m) => m.key).join(" ");
        if (!strong.length) seg.setAttribute("title", hints.map((h) => `Hint: ${tagById(h.tag).label}. ${h.reason}`).join("\n"));
      }
      if (head && head.start <= a && b <= head.end) seg.classList.add("kit-headline-seg");
      if (strong.length && state.open && strong.some((m) => m.start <= state.open.at && state.open.at < m.end)) {
        seg.classList.add("kit-open");
      }
      if (state.sel && state.sel.start <= a && b <= state.sel.end) seg.classList.add("kit-pending");
      if (kbd && kbd.start <= a && b <= kbd.end) seg.classList.add("kit-caret");
      body.append(seg);
      // A text label after each highlight and hint: colour is never the only signal. The
      // label is inline text (not an inline block), so no line break can fall between it and
      // the word before or the punctuation after: "officials [Anonymous source]," stays whole.
      for (const m of labelled) if (endsAt(m, b)) body.append(chip(m));
    }
  }

  // ---------------------------------------------------------------- detail panel
  function marksAt(offset) {
    return marks().filter((m) => m.start <= offset && offset < m.end);
  }

  function openAt(offset) {
    const found = marksAt(offset);
    if (!found.length) return false;
    const para = (doc().paragraphs || []).findIndex((p) => p.start <= offset && offset < p.end);
    state.open = { at: offset, para: para < 0 ? 0 : para };
    renderText();
    const first = text.querySelector(".kit-panel select, .kit-panel textarea, .kit-panel button");
    if (first) first.focus();
    return true;
  }

  // Close the open panel; with `after`, the caret goes to the first word after that offset
  // (after a saved highlight), else to the word the panel was about.
  function closePanel(returnFocus = true, after = null) {
    if (!state.open) return;
    const at = state.open.at;
    state.open = null;
    if (returnFocus) {
      let i = after === null ? tokens.findIndex((t) => t.end > at) : tokens.findIndex((t) => t.start >= after);
      if (i < 0 && after !== null) i = tokens.findLastIndex((t) => t.start < after);
      if (i >= 0) state.caret = state.anchor = i;
      state.sel = null;
      state.keyboard = true;
    }
    renderText();
    if (returnFocus) {
      if (document.activeElement === text) moveTo(state.caret, false);
      else text.focus();
    }
  }

  function detailPanel(offset) {
    const found = marksAt(offset);
    const panel = el("div", { class: "kit-panel", role: "dialog", "aria-label": "Highlights here" });
    const close = el("button", { type: "button", class: "kit-close", "aria-label": "Close", text: "Close" });
    close.addEventListener("click", () => closePanel());
    panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        closePanel();
      }
    });
    for (const m of found) panel.append(m.type === "hl" ? highlightCard(m) : m.type === "hint" ? hintCard(m) : keyCard(m));
    panel.append(el("div", { class: "kit-panel-foot" }, close));
    return panel;
  }

  function cardHead(m, kind) {
    const tag = tagById(m.tag);
    return el(
      "div",
      { class: "kit-card-head", style: tagStyle(tag) },
      el("span", { class: "kit-swatch", "aria-hidden": "true" }),
      el("span", { class: "kit-card-kind", text: kind }),
      el("strong", { text: tag.label }),
      el("q", { class: "kit-exact", text: docText.slice(m.start, m.end) }),
    );
  }

  function highlightCard(m) {
    const card = el("div", { class: "kit-card", "data-id": m.id });
    card.append(cardHead(m, "Your highlight"));
    const selectId = `kit-s-${Math.random().toString(36).slice(2)}`;
    const select = el("select", { id: selectId, class: "kit-edit-tag" });
    const choices = enabledTags().some((t) => t.id === m.tag) ? enabledTags() : [tagById(m.tag), ...enabledTags()];
    for (const t of choices) {
      const o = el("option", { value: t.id, text: t.label });
      if (t.id === m.tag) o.selected = true;
      select.append(o);
    }
    const noteId = `kit-n-${Math.random().toString(36).slice(2)}`;
    const note = el("textarea", { id: noteId, class: "kit-edit-note", rows: "2" });
    note.value = m.note || "";
    const save = el("button", { type: "button", class: "kit-save", text: "Save" });
    const del = el("button", { type: "button", class: "kit-delete", text: "Delete" });
    save.addEventListener("click", () => {
      request({ type: "update", id: m.id, tag: select.value, note: note.value }, "Saved.");
      closePanel(true, m.end); // back to the text, the caret just after the saved highlight
    });
    del.addEventListener("click", () => {
      request({ type: "remove", id: m.id }, `Deleted the highlight on ${quote(docText.slice(m.start, m.end), 40)}.`);
      closePanel();
    });
    card.append(
      el("div", { class: "kit-field" }, el("label", { for: selectId, text: "Tag" }), select),
      el("div", { class: "kit-field" }, el("label", { for: noteId, text: "Note" }), note),
      el("div", { class: "kit-actions" }, save, del),
    );
    return card;
  }

  function hintCard(m) {
    const card = el("div", { class: "kit-card kit-card-hint" });
    card.append(cardHead(m, "Hint"), el("p", { class: "kit-reason", text: m.reason || "" }));
    // The tag's plain label, never the detector's internal kind ("attribution:organization").
    card.append(el("p", { class: "kit-kind", text: `${tagById(m.tag).label}? Found by the kit's detectors, which can be wrong: you decide.` }));
    if (editable() && enabledTags().some((t) => t.id === m.tag)) {
      const accept = el("button", { type: "button", class: "kit-accept", text: `Tag as ${tagById(m.tag).label}` });
      accept.addEventListener("click", () => {
        state.sel = { start: m.start, end: m.end };
        applyTag(m.tag);
        closePanel(true, m.end);
      });
      card.append(el("div", { class: "kit-actions" }, accept));
    }
    return card;
  }

  function keyCard(m) {
    const card = el("div", { class: "kit-card kit-card-key" });
    card.append(cardHead(m, "Answer key"), el("p", { class: "kit-reason", text: m.explanation || "" }));
    return card;
  }

  // ---------------------------------------------------------------- requests to Python
  const pending = new Map();
  function request(message, done) {
    state.request += 1;
    const id = state.request;
    pending.set(id, done);
    say("Saving…");
    model.send({ ...message, request: id });
  }

  onModel("msg:custom", (msg) => {
    if (!msg || msg.type !== "result") return;
    const done = pending.get(msg.request);
    pending.delete(msg.request);
    say(msg.ok ? msg.message || done || "Saved." : `Not saved: ${msg.error || "unknown problem"}`);
  });

  function applyTag(tagId) {
    if (!editable()) return;
    let range = state.sel;
    if (!range && document.activeElement === text && state.caret >= 0) range = caretRange();
    if (!range) {
      say("First select some words in the article (mouse, or arrow keys with Shift).");
      return;
    }
    const tag = tagById(tagId);
    const note = noteDraft;
    noteDraft = "";
    state.sel = null;
    request(
      { type: "add", start: range.start, end: range.end, tag: tagId, note },
      `Tagged ${quote(docText.slice(range.start, range.end), 50)} as ${tag.label}.`,
    );
    renderToolbar();
    renderText();
    return range;
  }

  // Put the keyboard caret on the first word at or after `offset` and focus the text.
  function caretAfter(offset) {
    let i = tokens.findIndex((t) => t.start >= offset);
    if (i < 0) i = tokens.length - 1;
    if (i < 0) return;
    state.caret = state.anchor = i;
    state.sel = null;
    state.keyboard = true;
    if (document.activeElement === text) moveTo(state.caret, false);
    else text.focus();
  }

  // ---------------------------------------------------------------- mouse
  function pointToOffset(node, offset) {
    const segOf = (n) => (n && n.nodeType === 1 ? n.closest(".kit-seg") : n && n.parentElement && n.parentElement.closest(".kit-seg"));
    const seg = segOf(node);
    if (seg && node.nodeType === 3) return Number(seg.dataset.s) + offset;
    // A boundary between elements: use the nearest segment at or after it.
    const probe = document.createRange();
    probe.setStart(node, offset);
    let after = null;
    let before = null;
    for (const s of text.querySelectorAll(".kit-seg")) {
      if (probe.comparePoint(s, 0) >= 0) {
        after = s;
        break;
      }
      before = s;
    }
    if (after) return Number(after.dataset.s);
    if (before) return Number(before.dataset.e);
    return null;
  }

  function selectionOffsets() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!text.contains(range.commonAncestorContainer)) return null;
    const a = pointToOffset(range.startContainer, range.startOffset);
    const b = pointToOffset(range.endContainer, range.endOffset);
    if (a === null || b === null) return null;
    return snapToWords(docText, tokens, a, b);
  }

  listen(text, "mouseup", (e) => {
    // The reader leaves selections alone, so text can be copied from it.
    if (mode() !== "annotate") return;
    if (e.target.closest && e.target.closest(".kit-panel")) return;
    const chip = e.target.closest && e.target.closest(".kit-chip");
    if (chip) {
      const m = marks().find((x) => x.key === chip.dataset.for);
      if (m) openAt(m.start);
      return;
    }
    const range = selectionOffsets();
    if (range) {
      state.sel = range;
      state.open = null;
      const first = tokens.findIndex((t) => t.end > range.start);
      let last = tokens.length - 1;
      while (last > 0 && tokens[last].start >= range.end) last--;
      if (first >= 0) {
        state.anchor = first;
        state.caret = Math.max(first, last);
      }
      window.getSelection().removeAllRanges();
      renderText();
      if (editable()) say(`Selected ${quote(docText.slice(range.start, range.end))}. Now pick a tag.`);
      return;
    }
    const seg = e.target.closest && e.target.closest(".kit-seg");
    if (seg && (seg.dataset.marks || seg.dataset.hints)) openAt(Number(seg.dataset.s));
    else if (state.sel) {
      state.sel = null;
      renderText();
    }
  });

  // ---------------------------------------------------------------- keyboard
  function caretRange() {
    if (state.caret < 0 || !tokens.length) return null;
    const a = Math.min(state.anchor, state.caret);
    const b = Math.max(state.anchor, state.caret);
    return { start: tokens[a].start, end: tokens[b].end };
  }

  function firstBodyToken() {
    const d = doc();
    const i = tokens.findIndex((t) => {
      const p = d.paragraphs[t.para];
      return !(d.boilerplate || []).some((b) => b.start < p.end && p.start < b.end);
    });
    return i < 0 ? 0 : i;
  }

  // Paragraphs a keyboard selection (or a pending one) touches.
  function touched() {
    const out = new Set();
    const add = (a, b) => {
      for (let i = Math.min(a, b); i <= Math.max(a, b); i++) out.add(i);
    };
    if (state.caret >= 0 && tokens.length) add(tokens[state.anchor].para, tokens[state.caret].para);
    if (state.sel) {
      const paras = doc().paragraphs || [];
      paras.forEach((p, i) => {
        if (p.start < state.sel.end && state.sel.start < p.end) out.add(i);
      });
    }
    return out;
  }

  // Redraw only some paragraphs: arrow keys stay fast on a long article.
  function renderParagraphs(indices) {
    const d = doc();
    const all = marks();
    const kbd = state.keyboard && state.caret >= 0 && document.activeElement === text ? caretRange() : null;
    for (const i of indices) {
      const para = text.querySelector(`.kit-para[data-para="${i}"]`);
      const p = (d.paragraphs || [])[i];
      if (!para || !p) continue;
      const body = el("span", { class: "kit-ptext" });
      fillParagraph(body, p, all, kbd);
      para.querySelector(".kit-ptext").replaceWith(body);
    }
  }

  function moveTo(index, extend) {
    if (!tokens.length) return;
    const before = touched();
    state.caret = Math.max(0, Math.min(tokens.length - 1, index));
    if (!extend) state.anchor = state.caret;
    state.sel = null;
    if (text.querySelector(".kit-para")) renderParagraphs(new Set([...before, ...touched()]));
    else renderText();
    const r = caretRange();
    const words = docText.slice(r.start, r.end);
    const here = marksAt(tokens[state.caret].start)
      .map((m) => (m.type === "hint" ? `hint ${tagById(m.tag).label}` : tagById(m.tag).label))
      .join(", ");
    say(`${state.anchor === state.caret ? "" : "Selected "}${quote(words)}${here ? `, in: ${here} (Enter to open)` : ""}`);
    const seg = text.querySelector(".kit-caret");
    if (seg && seg.scrollIntoView) seg.scrollIntoView({ block: "nearest" });
  }

  function paragraphEdge(fromPara, step) {
    let target = fromPara + step;
    const paraCount = (doc().paragraphs || []).length;
    while (target >= 0 && target < paraCount) {
      const i = tokens.findIndex((t) => t.para === target);
      if (i >= 0) return i;
      target += step;
    }
    return state.caret;
  }

  // A mouse press focuses the text too; re-rendering then would destroy the selection being
  // made, so the caret only appears for keyboard focus and key presses.
  listen(text, "mousedown", () => {
    state.keyboard = false;
  });
  listen(text, "focus", () => {
    if (mode() !== "annotate" || text.matches(":active")) return;
    state.keyboard = true;
    if (state.caret < 0) {
      state.caret = state.anchor = firstBodyToken();
    }
    if (!state.sel) moveTo(state.caret, state.anchor !== state.caret);
  });
  listen(text, "blur", (e) => {
    // Leaving for the toolbar keeps the keyboard selection as the pending one.
    if (state.caret >= 0 && !state.sel && root.contains(e.relatedTarget) && !text.contains(e.relatedTarget)) {
      state.sel = caretRange();
    }
    if (!text.contains(e.relatedTarget) && state.keyboard) renderText();
  });

  listen(text, "keydown", (e) => {
    if (mode() !== "annotate" || e.target !== text) return;
    if (e.altKey || e.ctrlKey || e.metaKey || (e.key === "Enter" && e.shiftKey)) return;
    if (!state.keyboard) {
      state.keyboard = true;
      if (state.caret < 0) state.caret = state.anchor = firstBodyToken();
    }
    const t = state.caret >= 0 ? tokens[state.caret] : null;
    const para = t ? t.para : 0;
    let handled = true;
    switch (e.key) {
      case "ArrowRight":
        moveTo(state.caret + 1, e.shiftKey);
        break;
      case "ArrowLeft":
        moveTo(state.caret - 1, e.shiftKey);
        break;
      case "ArrowDown":
        moveTo(paragraphEdge(para, +1), e.shiftKey);
        break;
      case "ArrowUp":
        moveTo(paragraphEdge(para, -1), e.shiftKey);
        break;
      case "Home":
        moveTo(tokens.findIndex((x) => x.para === para), e.shiftKey);
        break;
      case "End":
        moveTo(tokens.findLastIndex((x) => x.para === para), e.shiftKey);
        break;
      case "Escape":
        moveTo(state.caret, false);
        break;
      case "Enter": {
        if (t && openAt(t.start)) break;
        const first = toolbar.querySelector(".kit-tag:not([disabled])");
        if (first) {
          state.sel = caretRange();
          first.focus();
          say("Choose a tag for the selected words (Tab or arrow keys, then Enter).");
        }
        break;
      }
      case "]":
      case "[": {
        const starts = [...new Set(marks().map((m) => m.start))].sort((a, b) => a - b);
        const here = t ? t.start : -1;
        const next = e.key === "]" ? starts.find((s) => s > here) : starts.reverse().find((s) => s < here);
        if (next === undefined) say(e.key === "]" ? "No more highlights after this." : "No highlights before this.");
        else moveTo(tokens.findIndex((x) => x.end > next), false);
        break;
      }
      case "?":
        state.help = !state.help;
        renderToolbar();
        renderHelp();
        break;
      default:
        if (/^[1-9]$/.test(e.key) && !e.shiftKey) {
          const tag = enabledTags()[Number(e.key) - 1];
          if (tag) {
            state.sel = null;
            const r = caretRange();
            if (r) state.sel = r;
            applyTag(tag.id);
          } else handled = false;
        } else handled = false;
    }
    if (handled) e.preventDefault();
  });

  // Arrow keys inside the tag toolbar move between tag buttons (a toolbar, not a tab stop each).
  listen(toolbar, "keydown", (e) => {
    if (!e.target.classList || !e.target.classList.contains("kit-tag")) return;
    const buttons = [...toolbar.querySelectorAll(".kit-tag")];
    const i = buttons.indexOf(e.target);
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
    if (step) {
      buttons[(i + step + buttons.length) % buttons.length].focus();
      e.preventDefault();
    } else if (e.key === "Home" || e.key === "End") {
      buttons[e.key === "Home" ? 0 : buttons.length - 1].focus();
      e.preventDefault();
    } else if (e.key === "Escape") {
      text.focus();
      e.preventDefault();
    }
  });

  // Keys pressed anywhere in the widget stay in the widget. JupyterLab's notebook listens for
  // keys on its own node in command mode (arrows move to another cell, letters and digits
  // insert, delete or change cells), below the shortcut-suppressing attribute above. Tab
  // (moving focus on), Shift+Enter (run the cell) and shortcuts with Ctrl, Alt or Cmd (save
  // the notebook) still reach the notebook.
  listen(root, "keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.key === "Tab") return;
    if (e.key === "Enter" && e.shiftKey) return;
    e.stopPropagation();
  });

  // ---------------------------------------------------------------- other notebooks
  // Another notebook (another kernel) on the same learner saves to the same file: ask Python
  // to re-read it when the widget gets focus, when the browser tab comes back, and every few
  // seconds while the widget is on screen. Python answers only if something changed.
  let lastRefresh = 0;
  let onScreen = true;
  const askRefresh = () => {
    if (mode() !== "annotate" || !root.isConnected || Date.now() - lastRefresh < 1000) return;
    lastRefresh = Date.now();
    model.send({ type: "refresh" });
  };
  listen(root, "focusin", askRefresh);
  listen(window, "focus", askRefresh);
  listen(document, "visibilitychange", () => {
    if (document.visibilityState === "visible") askRefresh();
  });
  if (typeof IntersectionObserver === "function") {
    const seen = new IntersectionObserver((entries) => {
      for (const entry of entries) onScreen = entry.isIntersecting;
    });
    seen.observe(root);
    cleanups.push(() => seen.disconnect());
  }
  const timer = setInterval(() => {
    if (onScreen && document.visibilityState === "visible") askRefresh();
  }, REFRESH_MS);
  cleanups.push(() => clearInterval(timer));

  // ---------------------------------------------------------------- legend
  function renderLegend() {
    legend.replaceChildren();
    if (mode() !== "annotate") return;
    const c = counts();
    const list = el("ul", { class: "kit-legend-list" });
    const shown = showKey() ? tags().filter((t) => c[t.id]) : enabledTags();
    for (const t of shown) {
      list.append(
        el(
          "li",
          { style: tagStyle(t), "data-tag": t.id },
          el("span", { class: "kit-swatch", "aria-hidden": "true" }),
          el("span", { class: "kit-sample", "aria-hidden": "true", text: "words" }),
          el("strong", { text: t.label }),
          el("span", { class: "kit-legend-count", text: ` ${c[t.id] || 0}` }),
          el("span", { class: "kit-legend-def", text: ` ${t.definition}` }),
        ),
      );
    }
    const total = Object.values(c).reduce((a, b) => a + b, 0);
    legend.append(
      el("div", { class: "kit-legend-title" }, showKey() ? `Answer key: ${total} items` : `Your highlights: ${total}`),
      list,
      el("p", {
        class: "kit-legend-note",
        text: "A highlight is tinted and underlined in its tag's colour and line style (shown before each tag), with the tag's name after it; where highlights overlap, each outer one adds a bar below. A dotted underline and a name with “?”: a hint from the kit's detectors.",
      }),
    );
  }

  function renderAll() {
    renderPicker();
    renderHeader();
    renderToolbar();
    renderHelp();
    renderBanner();
    renderText();
    renderLegend();
  }

  onModel("change:_doc", () => {
    retokenize();
    renderAll();
  });
  for (const name of ["change:_highlights", "change:_hints", "change:show_hints", "change:_key", "change:show_key", "change:_tags", "change:mode", "change:_choices", "change:selected", "change:_key_available"]) {
    onModel(name, () => {
      if (state.open && !marksAt(state.open.at).length) state.open = null;
      const focused = document.activeElement;
      renderToolbar();
      renderBanner();
      renderText();
      renderLegend();
      if (name === "change:_choices" || name === "change:selected") renderPicker();
      if (focused && !focused.isConnected) text.focus();
    });
  }
  onModel("change:status", () => {
    if (model.get("status")) say(model.get("status"));
  });

  retokenize();
  renderAll();
  if (model.get("status")) say(model.get("status"));

  return () => {
    for (const undo of cleanups) undo();
    host.replaceChildren();
  };
}

export default { render };
