const test = require("node:test");
const assert = require("node:assert");
const { cartTotal } = require("./cart");

test("empty cart", () => {
  assert.strictEqual(cartTotal([]), 0);
});
