/**
 * How a bot message's text is laid out.
 *
 * Every reply ends with the medical disclaimer, separated from the answer by a
 * blank line; the widget shows that last paragraph in a smaller "disclaimer"
 * style, and never drops it.
 *
 * @module messages
 */

const PARAGRAPH = /\n\s*\n/;

/**
 * Split a bot message into its paragraphs and its trailing disclaimer.
 *
 * @param {string} text
 * @returns {{paragraphs: string[], disclaimer: string | null}}
 */
export function splitReply(text) {
  const parts = text
    .trim()
    .split(PARAGRAPH)
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length < 2) return { paragraphs: parts, disclaimer: null };
  return { paragraphs: parts.slice(0, -1), disclaimer: parts[parts.length - 1] };
}
