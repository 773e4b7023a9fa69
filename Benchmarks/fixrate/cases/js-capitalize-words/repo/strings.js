// Capitalize the first letter of every word in a sentence.
function capitalizeWords(sentence) {
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

module.exports = { capitalizeWords };
