// Progressive enhancement of the scoring form: the weighted total updates while typing.
// The server computes the same total on every save; without this file nothing is lost.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-running-total]").forEach((form) => {
    const output = form.querySelector("output[data-total]");
    const inputs = Array.from(form.querySelectorAll("input[data-weight]"));
    if (!output || !inputs.length) return;
    const digits = { "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9", "٫": ".", ",": "." };
    const read = (input) => {
      const text = input.value.trim().replace(/[٠-٩٫,]/g, (c) => digits[c]);
      return text === "" ? NaN : Number(text);
    };
    const update = () => {
      let weights = 0;
      let sum = 0;
      for (const input of inputs) {
        const weight = Number(input.dataset.weight);
        if (!(weight > 0)) continue;
        const value = read(input);
        const low = Number(input.dataset.min);
        const high = Number(input.dataset.max);
        if (Number.isNaN(value) || value < low || value > high) {
          output.textContent = "—";
          return;
        }
        weights += weight;
        sum += weight * (value - low) / (high - low);
      }
      output.textContent = weights > 0 ? (100 * sum / weights).toFixed(1) : "—";
    };
    inputs.forEach((input) => input.addEventListener("input", update));
  });
});
