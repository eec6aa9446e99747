// The runtime's modules together: loaded state.js first and debug.js last (as
// render/elements.py joins them), they define every name they look up in the namespace, and
// leave no global behind but window.borderrisk.
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const STATIC = path.join(__dirname, "..", "..", "borderrisk", "render", "static");
const RUNTIME = path.join(STATIC, "runtime");
const modules = fs.readdirSync(RUNTIME).filter((name) => name.endsWith(".js"));
const ordered = ["state.js", ...modules.filter((name) => name !== "state.js" && name !== "debug.js"), "debug.js"];

function loadAll() {
  const context = vm.createContext({ window: {}, atob });
  for (const name of ordered) vm.runInContext(fs.readFileSync(path.join(RUNTIME, name), "utf8"), context);
  return context;
}

test("every name a module looks up in the namespace is defined by one of them", () => {
  const br = loadAll().window.borderrisk;
  const sources = [...modules.map((name) => path.join(RUNTIME, name)), path.join(STATIC, "draw.js")];
  const missing = new Set();
  for (const file of sources) {
    for (const [, name] of fs.readFileSync(file, "utf8").matchAll(/\bbr\.(\w+)/g)) {
      if (!(name in br)) missing.add(`${path.basename(file)}: br.${name}`);
    }
  }
  assert.deepEqual([...missing], []);
});

test("the runtime's only global is window.borderrisk", () => {
  const context = loadAll();
  assert.deepEqual(Object.keys(context).sort(), ["atob", "window"]);
  assert.deepEqual(Object.keys(context.window), ["borderrisk"]);
});
