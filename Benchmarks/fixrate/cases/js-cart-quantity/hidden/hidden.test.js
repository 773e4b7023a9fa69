const test = require("node:test");
const assert = require("node:assert");
const { cartTotal } = require("./cart");

test("quantities count", () => {
  assert.strictEqual(cartTotal([{ price: 10, quantity: 2 }, { price: 2, quantity: 1 }]), 22);
});

test("empty cart", () => {
  assert.strictEqual(cartTotal([]), 0);
});
