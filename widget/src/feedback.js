/**
 * "Was this helpful?" under a rated answer. "No" offers three ways on: ask again
 * in other words, call the clinic, or request a call back.
 *
 * @module feedback
 */

import { h, icon, ICONS } from "./dom.js";

/**
 * @typedef {Object} FeedbackActions
 * @property {(helpful: boolean) => void} answer  record the patient's answer
 * @property {() => void} rephrase  focus the question box with a hint
 * @property {() => void} callBack  open the call-back form
 * @property {{number: string, tel: string} | null} clinic the clinic's number
 * @property {string} clinicName
 */

/**
 * The offers shown after "No".
 *
 * @param {FeedbackActions} actions
 * @returns {HTMLElement}
 */
function renderOffers(actions) {
  const { clinic, clinicName } = actions;
  return h(
    "div",
    { class: "offers", role: "group", "aria-label": "Other ways to get help" },
    h("p", {}, "Sorry that did not help. You can:"),
    h("button", { type: "button", class: "offer", onclick: actions.rephrase }, "Ask in a different way"),
    clinic
      ? h(
          "a",
          { class: "offer call call-clinic", href: clinic.tel },
          icon(ICONS.phone),
          h("span", {}, `Call ${clinicName} on ${clinic.number}`),
        )
      : null,
    h("button", { type: "button", class: "offer", onclick: actions.callBack }, "Request a call back"),
  );
}

/**
 * "Was this helpful? Yes / No", the thanks after "Yes", or the offers after "No".
 *
 * @param {boolean | null | undefined} helpful the answer given so far
 * @param {FeedbackActions} actions
 * @returns {HTMLElement}
 */
export function renderFeedback(helpful, actions) {
  if (helpful === true) return h("p", { class: "thanks" }, "Thank you for your feedback.");
  if (helpful === false) return renderOffers(actions);
  const group = h(
    "div",
    { class: "feedback", role: "group", "aria-label": "Was this answer helpful?" },
    h("span", { "aria-hidden": "true" }, "Was this helpful?"),
    [true, false].map((value) =>
      h(
        "button",
        {
          type: "button",
          "aria-label": value ? "Yes, this was helpful" : "No, this was not helpful",
          onclick: () => {
            const next = renderFeedback(value, actions);
            group.replaceWith(next);
            actions.answer(value);
            if (!value) /** @type {HTMLElement} */ (next.querySelector("button")).focus();
          },
        },
        value ? "Yes" : "No",
      ),
    ),
  );
  return group;
}
