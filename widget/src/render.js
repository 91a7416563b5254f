/**
 * A bot reply rendered from its parts: the direct answer first, then the details
 * as short paragraphs and lists (the longer ones behind "Read more"), the clinic's
 * number, and the disclaimer as a quiet line. Crisis and emergency replies are
 * cards: the urgent instruction first, then call buttons. Every phone number the
 * widget knows of becomes a `tel:` link wherever it appears.
 *
 * @module render
 */

import { h, icon, ICONS } from "./dom.js";
import { splitNumbers, URGENT_KINDS, visibleDetailCount } from "./messages.js";

/**
 * @typedef {Object} RenderContext
 * @property {string} clinicName
 * @property {import("./messages.js").Link[]} links numbers to link (the reply's and the configured ones)
 * @property {string} id a unique prefix for element ids
 */

const ROLE_LABELS = { emergency: "Emergency", crisis: "Crisis line", urgent: "Urgent care" };

/**
 * Text with its phone numbers as `tel:` links.
 *
 * @param {string} text
 * @param {import("./messages.js").Link[]} links
 * @returns {Array<string | HTMLElement>}
 */
export function linked(text, links) {
  return splitNumbers(text, links).map((piece) =>
    typeof piece === "string" ? piece : h("a", { href: piece.tel, class: "tel" }, piece.number),
  );
}

/**
 * One details block: a paragraph, or a list.
 *
 * @param {string | string[]} block
 * @param {import("./messages.js").Link[]} links
 * @returns {HTMLElement}
 */
function renderBlock(block, links) {
  if (typeof block === "string") return h("p", {}, linked(block, links));
  return h(
    "ul",
    {},
    block.map((item) => h("li", {}, linked(item, links))),
  );
}

/**
 * The details: the first blocks shown, the rest behind an accessible disclosure button.
 *
 * @param {import("./messages.js").Parts} parts
 * @param {RenderContext} context
 * @returns {HTMLElement | null}
 */
function renderDetails(parts, context) {
  const { details } = parts;
  if (!details.length) return null;
  const urgent = URGENT_KINDS.includes(parts.kind);
  const shown = urgent ? details.length : visibleDetailCount(details);
  const container = h(
    "div",
    { class: "details" },
    details.slice(0, shown).map((block) => renderBlock(block, context.links)),
  );
  if (shown === details.length) return container;
  const moreId = `${context.id}-more`;
  const more = h(
    "div",
    { id: moreId, class: "more", hidden: true },
    details.slice(shown).map((block) => renderBlock(block, context.links)),
  );
  const toggle = h(
    "button",
    {
      type: "button",
      class: "read-more",
      "aria-expanded": "false",
      "aria-controls": moreId,
      onclick: () => {
        more.hidden = !more.hidden;
        toggle.setAttribute("aria-expanded", String(!more.hidden));
        toggle.textContent = more.hidden ? "Read more" : "Show less";
      },
    },
    "Read more",
  );
  container.append(toggle, more);
  return container;
}

/**
 * Call buttons for an urgent card, most urgent first.
 *
 * @param {import("./messages.js").Contact[]} contacts
 * @param {string} clinicName
 * @returns {HTMLElement | null}
 */
function renderCallButtons(contacts, clinicName) {
  if (!contacts.length) return null;
  return h(
    "div",
    { class: "calls" },
    contacts.map((contact) =>
      h(
        "a",
        { class: `call call-${contact.role}`, href: contact.tel },
        icon(ICONS.phone),
        h("span", {}, `Call ${contact.number}`),
        h("span", { class: "call-role" }, ROLE_LABELS[contact.role] || clinicName),
      ),
    ),
  );
}

/**
 * The clinic's number, unless the reply's text already shows it.
 *
 * @param {import("./messages.js").Parts} parts
 * @param {string} clinicName
 * @returns {HTMLElement | null}
 */
function renderClinicLine(parts, clinicName) {
  const clinic = parts.contacts.find((contact) => contact.role === "clinic");
  if (!clinic) return null;
  const texts = [parts.lead || "", parts.answer, ...parts.details.flat()];
  if (texts.some((text) => text.includes(clinic.number))) return null;
  return h("p", { class: "clinic-line" }, `${clinicName}: `, h("a", { href: clinic.tel, class: "tel" }, clinic.number));
}

/**
 * The content of a bot bubble for these parts (without feedback or quick replies).
 *
 * @param {import("./messages.js").Parts} parts
 * @param {RenderContext} context
 * @returns {Array<HTMLElement | null>}
 */
export function renderParts(parts, context) {
  const { links, clinicName } = context;
  const lead = parts.lead ? h("p", { class: "lead" }, linked(parts.lead, links)) : null;
  const answer = h("p", { class: "answer" }, linked(parts.answer, links));
  const details = renderDetails(parts, context);
  const disclaimer = h("p", { class: "disclaimer" }, parts.disclaimer);
  if (URGENT_KINDS.includes(parts.kind)) {
    // The urgent instruction before anything else, then the numbers to call.
    return [answer, renderCallButtons(parts.contacts, clinicName), lead, details, disclaimer];
  }
  return [lead, answer, details, renderClinicLine(parts, clinicName), disclaimer];
}
