/**
 * Fixed texts the widget shows itself: the introduction before first use and the
 * notice while the assistant cannot be reached. Both give the emergency number
 * and the clinic's phone (as a tap-to-call link).
 *
 * @module notices
 */

import { h, phoneLink } from "./dom.js";

/**
 * The introduction: what the assistant is and is not, and whom to call.
 *
 * @param {import("./config.js").WidgetConfig} config
 * @param {HTMLElement} startButton
 * @returns {HTMLElement}
 */
export function introduction(config, startButton) {
  const { clinicName, clinicPhone, emergencyNumber } = config;
  return h(
    "div",
    { class: "intro", hidden: true },
    h("h3", {}, "Before you start"),
    h(
      "p",
      {},
      "This is an automated assistant, not a person. It gives general information about " +
        `antidepressants used for nerve pain, from content reviewed by ${clinicName}.`,
    ),
    h("p", {}, "It cannot give advice about your own treatment, and it is not for emergencies."),
    h(
      "p",
      { class: "emergency" },
      h("strong", {}, `In an emergency, call ${emergencyNumber}.`),
      clinicPhone ? [" For questions about your care, call ", clinicName, " on ", phoneLink(clinicPhone), "."] : null,
    ),
    startButton,
  );
}

/**
 * The "cannot reach the assistant" notice.
 *
 * @param {import("./config.js").WidgetConfig} config
 * @returns {Array<Node | string>}
 */
export function offlineNotice(config) {
  const { clinicName, clinicPhone, emergencyNumber } = config;
  return [
    h("strong", {}, "We can\u2019t reach the assistant right now."),
    " We will keep trying.",
    ...(clinicPhone ? [" If you need help, call ", clinicName, " on ", phoneLink(clinicPhone), "."] : []),
    ` In an emergency, call ${emergencyNumber}.`,
  ];
}
