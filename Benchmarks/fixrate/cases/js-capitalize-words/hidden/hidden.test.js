const test = require("node:test");
const assert = require("node:assert");
const { capitalizeWords } = require("./strings");

test("every word", () => {
  assert.strictEqual(capitalizeWords("hello big world"), "Hello Big World");
  assert.strictEqual(capitalizeWords("a b"), "A B");
});

test("one word and empty", () => {
  assert.strictEqual(capitalizeWords("hello"), "Hello");
  assert.strictEqual(capitalizeWords(""), "");
});
