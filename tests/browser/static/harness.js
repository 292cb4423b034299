// A stand-in for the Jupyter widget model, enough to drive annotator.js without a kernel:
// get/set/on/off/save_changes/send. The test relays what the page sends to a real Python
// Annotator and pushes the answer back with push().
import widget from "/kit/widgets/annotator.js";

class FakeModel {
  constructor(state) {
    this.state = { ...state };
    this.handlers = new Map();
    this.sent = [];
    this.dirty = {};
    this.saves = 0;
  }
  get(name) {
    return this.state[name];
  }
  set(name, value) {
    this.state[name] = value;
    this.dirty[name] = value;
    this.emit(`change:${name}`, value);
  }
  on(event, fn) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event).add(fn);
  }
  off(event, fn) {
    const set = this.handlers.get(event);
    if (set) set.delete(fn);
  }
  emit(event, ...args) {
    for (const fn of [...(this.handlers.get(event) || [])]) fn(...args);
  }
  save_changes() {
    this.saves += 1;
  }
  send(content) {
    // Custom messages travel as JSON: copy, so the page cannot share objects with the test.
    this.sent.push(JSON.parse(JSON.stringify(content)));
  }
  handlerCount() {
    let n = 0;
    for (const set of this.handlers.values()) n += set.size;
    return n;
  }
}

window.kitHarness = {
  model: null,
  cleanup: null,
  mount(state) {
    if (this.cleanup) this.cleanup();
    const host = document.getElementById("widget");
    this.model = new FakeModel(state);
    this.cleanup = widget.render({ model: this.model, el: host });
    return true;
  },
  drain() {
    const out = { messages: this.model.sent.splice(0), changes: this.model.dirty };
    this.model.dirty = {};
    return out;
  },
  push(traits, messages = []) {
    for (const [name, value] of Object.entries(traits)) {
      // Like a Jupyter widget model: a trait set to the value it has is no change.
      if (JSON.stringify(this.model.state[name]) === JSON.stringify(value)) continue;
      this.model.state[name] = value;
      this.model.emit(`change:${name}`, value);
    }
    for (const m of messages) this.model.emit("msg:custom", m, []);
  },
  unmount() {
    if (this.cleanup) this.cleanup();
    this.cleanup = null;
    return this.model.handlerCount();
  },
};
window.kitHarnessReady = true;
