// eslint's flat config for the map runtime (borderrisk/render/static) and its node tests (tests/js).
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  { ignores: ["borderrisk/render/static/vendor/", "node_modules/"] },
  js.configs.recommended,
  {
    files: ["borderrisk/render/static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: { ...globals.browser, L: "readonly" },
    },
  },
  {
    files: ["tests/js/**/*.js", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "commonjs", globals: globals.node },
  },
];
