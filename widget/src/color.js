/**
 * Colour helpers: the clinic's brand colour is darkened until white text on it
 * (and it as text on white) meets WCAG 2.1 AA contrast (4.5:1).
 *
 * @module color
 */

const FALLBACK = "#1f5f8b";
const AA_NORMAL_TEXT = 4.5;

/**
 * @param {string} hex "#rgb" or "#rrggbb"
 * @returns {number[] | null} [r, g, b] in 0..255
 */
export function parseHex(hex) {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(hex).trim());
  if (!match) return null;
  let digits = match[1];
  if (digits.length === 3) digits = digits.replace(/./g, "$&$&");
  return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16));
}

/**
 * WCAG relative luminance.
 *
 * @param {number[]} rgb
 * @returns {number}
 */
export function luminance(rgb) {
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * Contrast ratio between a colour and white.
 *
 * @param {number[]} rgb
 * @returns {number}
 */
export function contrastWithWhite(rgb) {
  return 1.05 / (luminance(rgb) + 0.05);
}

/**
 * The brand colour, darkened just enough to carry white text.
 *
 * @param {string} hex
 * @returns {string} "#rrggbb"
 */
export function accessibleColor(hex) {
  let rgb = parseHex(hex) || parseHex(FALLBACK);
  // A little margin over 4.5 so anti-aliased text still passes.
  while (contrastWithWhite(rgb) < AA_NORMAL_TEXT + 0.2) {
    rgb = rgb.map((v) => Math.floor(v * 0.92));
  }
  return "#" + rgb.map((v) => v.toString(16).padStart(2, "0")).join("");
}
