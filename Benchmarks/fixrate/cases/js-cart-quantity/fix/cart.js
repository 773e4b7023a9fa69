// Total price of cart lines {price, quantity}.
function cartTotal(lines) {
  let total = 0;
  for (const line of lines) {
    total += line.price * line.quantity;
  }
  return total;
}

module.exports = { cartTotal };
