/**
 * A bot reply's parts, as the server sends them in `metadata.reply`
 * (core/replies.py `ReplyParts.as_metadata()`): kind, content_id, lead, answer,
 * details (paragraph strings and lists of strings), disclaimer, quick_replies,
 * rate and contacts. The widget renders from these parts and never parses the
 * reply's text; everything here is checked first, because it comes off the network
 * (or out of sessionStorage).
 *
 * @module messages
 */

/** Kinds shown as urgent cards: announced as alerts, call buttons, never rated. */
export const URGENT_KINDS = ["crisis", "emergency"];

/**
 * @typedef {Object} Contact
 * @property {string} role   "clinic", "emergency", "crisis" or "urgent".
 * @property {string} number As written in the reply, e.g. "116 123".
 * @property {string} tel    A safe `tel:` URI (digits and a leading "+" only).
 */

/**
 * @typedef {Object} Parts
 * @property {string} kind
 * @property {string} contentId
 * @property {string | null} lead
 * @property {string} answer
 * @property {Array<string | string[]>} details paragraphs and bullet lists
 * @property {string} disclaimer
 * @property {import("./storage.js").Button[]} quickReplies
 * @property {boolean} rate   ask "Was this helpful?"
 * @property {Contact[]} contacts most urgent first; the clinic's always
 */

const isText = (value) => typeof value === "string" && value.trim() !== "";

/**
 * The `tel:` URI for a phone number, or null when it holds too few digits to call.
 *
 * @param {string} number
 * @returns {string | null}
 */
export function telUri(number) {
  const digits = String(number).replace(/[^0-9+]/g, "").replace(/(?!^)\+/g, "");
  return /[0-9]{3}/.test(digits) ? `tel:${digits}` : null;
}

/**
 * Quick replies ({title, payload} strings only).
 *
 * @param {unknown} raw
 * @returns {import("./storage.js").Button[]}
 */
export function readButtons(raw) {
  return (Array.isArray(raw) ? raw : [])
    .filter((b) => b && isText(b.title) && typeof b.payload === "string")
    .map((b) => ({ title: b.title, payload: b.payload }));
}

/**
 * @param {unknown} raw
 * @returns {Contact | null}
 */
function readContact(raw) {
  if (!raw || !isText(raw.role) || !isText(raw.number)) return null;
  const given = typeof raw.tel === "string" && /^tel:\+?[0-9]{3,20}$/.test(raw.tel) ? raw.tel : null;
  const tel = given || telUri(raw.number);
  return tel ? { role: raw.role, number: raw.number.trim(), tel } : null;
}

/**
 * @param {unknown} block
 * @returns {string | string[] | null}
 */
function readBlock(block) {
  if (isText(block)) return block;
  if (!Array.isArray(block)) return null;
  const items = block.filter(isText);
  return items.length ? items : null;
}

/**
 * The reply's parts, checked; null when they are missing or malformed (the widget
 * then shows the plain text, as from an old server).
 *
 * @param {unknown} raw `metadata.reply`
 * @returns {Parts | null}
 */
export function readParts(raw) {
  if (!raw || typeof raw !== "object") return null;
  const { kind, content_id: contentId, answer, disclaimer, lead } = /** @type {any} */ (raw);
  if (!isText(kind) || !isText(contentId) || !isText(answer) || !isText(disclaimer)) return null;
  const data = /** @type {any} */ (raw);
  return {
    kind,
    contentId,
    lead: isText(lead) ? lead : null,
    answer,
    details: (Array.isArray(data.details) ? data.details : []).map(readBlock).filter(Boolean),
    disclaimer,
    quickReplies: readButtons(data.quick_replies),
    rate: data.rate === true && !URGENT_KINDS.includes(kind),
    contacts: (Array.isArray(data.contacts) ? data.contacts : []).map(readContact).filter(Boolean),
  };
}

/**
 * @typedef {Object} Link
 * @property {string} number as it appears in text
 * @property {string} tel
 */

const isDigit = (char) => char !== undefined && char >= "0" && char <= "9";

/**
 * Split text into plain strings and the phone numbers it mentions, so that each
 * occurrence of a number can become a tap-to-call link. A number only matches
 * whole (not inside a longer run of digits).
 *
 * @param {string} text
 * @param {Link[]} links
 * @returns {Array<string | Link>}
 */
export function splitNumbers(text, links) {
  const candidates = [...links].sort((a, b) => b.number.length - a.number.length);
  const pieces = [];
  let plainFrom = 0;
  let index = 0;
  while (index < text.length) {
    const hit = candidates.find(
      (link) =>
        text.startsWith(link.number, index) &&
        !isDigit(text[index - 1]) &&
        !isDigit(text[index + link.number.length]),
    );
    if (!hit) {
      index += 1;
      continue;
    }
    if (plainFrom < index) pieces.push(text.slice(plainFrom, index));
    pieces.push(hit);
    index += hit.number.length;
    plainFrom = index;
  }
  if (plainFrom < text.length) pieces.push(text.slice(plainFrom));
  return pieces;
}

/**
 * How many detail blocks to show before "Read more". Safety information is never
 * folded away: every block up to the last one that mentions a phone number (three
 * digits or more, e.g. 999, 111, 116 123) stays visible, and at least the first.
 *
 * @param {Array<string | string[]>} details
 * @returns {number}
 */
export function visibleDetailCount(details) {
  let visible = Math.min(1, details.length);
  details.forEach((block, index) => {
    const text = Array.isArray(block) ? block.join(" ") : block;
    if (/[0-9]{3}/.test(text)) visible = index + 1;
  });
  return visible;
}
