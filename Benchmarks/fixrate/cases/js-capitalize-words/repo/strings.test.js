const test = require("node:test");
const assert = require("node:assert");
const { capitalizeWords } = require("./strings");

test("one word", () => {
  assert.strictEqual(capitalizeWords("hello"), "Hello");
});
