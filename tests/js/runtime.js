// Loads runtime modules (borderrisk/render/static/runtime) as the page does, in a context of
// their own with the one global they use (window), and returns the borderrisk namespace.
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const RUNTIME = path.join(__dirname, "..", "..", "borderrisk", "render", "static", "runtime");

function load(...names) {
  const context = vm.createContext({ window: {}, atob });
  for (const name of ["state.js", ...names]) {
    vm.runInContext(fs.readFileSync(path.join(RUNTIME, name), "utf8"), context, { filename: name });
  }
  return context.window.borderrisk;
}

/* A value made in the runtime's context as one of this context (its arrays and objects have
 * the other context's prototypes, which deepStrictEqual tells apart). */
function plain(value) {
  return JSON.parse(JSON.stringify(value));
}

module.exports = { load, plain };
