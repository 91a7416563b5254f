/**
 * A tiny element builder. Text is only ever added as text nodes: nothing the
 * patient types or the server sends is parsed as HTML.
 *
 * @module dom
 */

import { telUri } from "./messages.js";

/**
 * Create an element.
 *
 * @param {string} tag
 * @param {Object<string, any>} [attrs] attributes; `on<event>` keys add listeners;
 *   false/null/undefined values are skipped, true gives an empty attribute.
 * @param {...(Node | string | null | false | Array<Node | string | null | false>)} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === false || child === undefined) continue;
    element.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * A decorative 24x24 icon (hidden from assistive technology).
 *
 * @param {string} path SVG path data
 * @returns {SVGSVGElement}
 */
export function icon(path) {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "24");
  svg.setAttribute("height", "24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const shape = document.createElementNS(SVG_NS, "path");
  shape.setAttribute("d", path);
  shape.setAttribute("fill", "currentColor");
  svg.appendChild(shape);
  return svg;
}

export const ICONS = {
  chat: "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2zm3 6v2h10V9H7zm0 4v2h7v-2H7z",
  close: "M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7l-1.4-1.4L9.2 12 2.9 5.7l1.4-1.4 6.3 6.3 6.3-6.3z",
  send: "M3 20.5 21 12 3 3.5v6.6L15 12 3 13.9z",
  phone:
    "M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25c1.1.37 2.3.57 3.6.57a1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z",
};

/**
 * The phone number as a `tel:` link (only digits and "+" go into the href).
 *
 * @param {string} phone
 * @returns {HTMLAnchorElement}
 */
export function phoneLink(phone) {
  return /** @type {HTMLAnchorElement} */ (h("a", { href: telUri(phone) || false, class: "tel" }, phone));
}

/**
 * Apply the style sheet to the shadow root. A constructed style sheet also works
 * on pages whose Content-Security-Policy forbids inline <style>.
 *
 * @param {ShadowRoot} shadow
 * @param {string} css
 */
export function adoptStyles(shadow, css) {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    shadow.appendChild(h("style", {}, css));
  }
}
