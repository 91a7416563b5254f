/**
 * The call-back request form, shown inside the conversation. It asks for a name,
 * a phone number, a preferred time and explicit consent in plain words (what is
 * kept, for how long, that the clinic calls back in its opening hours, that it is
 * not for emergencies). The details go to the server once (socket.io event
 * `callback_request`, see channels/callback_requests.py); the widget never keeps
 * them in its history. "No thanks" sends no details at all.
 *
 * @module callback
 */

import { h } from "./dom.js";

/** Choices for "Best time to call". */
export const PREFERRED_TIMES = ["Any time", "Morning", "Afternoon"];

/**
 * @typedef {Object} CallbackRequest
 * @property {string} name
 * @property {string} phone
 * @property {string} preferred_time
 * @property {boolean} consent
 */

/** What a declined request sends: consent false, no details. */
export const DECLINED = Object.freeze({ name: "", phone: "", preferred_time: "", consent: false });

/**
 * Problems with the entered details (the server checks the same rules:
 * stores/callbacks.py `CallbackRequest.checked`).
 *
 * @param {{name: string, phone: string, consent: boolean}} values
 * @returns {Object<string, string>} field -> message; empty when all is well
 */
export function problems({ name, phone, consent }) {
  const found = {};
  const cleanName = name.trim();
  if (!cleanName) found.name = "Enter your name.";
  else if (cleanName.length > 100) found.name = "Use 100 characters or fewer.";
  const digits = phone.replace(/[^0-9]/g, "");
  if (!/^[0-9+()\-\s]*$/.test(phone) || digits.length < 6 || phone.trim().length > 40) {
    found.phone = "Enter a phone number we can call, like 07700 900123.";
  }
  if (!consent) found.consent = "Tick the box to agree, or choose \u201cNo thanks\u201d.";
  return found;
}

/**
 * A labelled field with a slot for its error message.
 *
 * @param {string} id
 * @param {string} label
 * @param {HTMLElement} control
 * @returns {HTMLElement}
 */
function field(id, label, control) {
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    h("p", { class: "field-error", id: `${id}-error`, hidden: true }),
    control,
  );
}

/**
 * Build the form.
 *
 * @param {import("./config.js").WidgetConfig} config
 * @param {string} id unique prefix for element ids
 * @param {{send: (request: CallbackRequest) => void, decline: () => void}} actions
 * @returns {HTMLFormElement}
 */
export function callbackForm(config, id, actions) {
  const { clinicName, emergencyNumber, openingHours, callbackRetention } = config;
  const when = openingHours ? `during opening hours (${openingHours})` : "during opening hours";
  const name = h("input", { id: `${id}-name`, type: "text", autocomplete: "name", maxlength: "100" });
  const phone = h("input", { id: `${id}-phone`, type: "tel", autocomplete: "tel", inputmode: "tel", maxlength: "40" });
  const time = h(
    "select",
    { id: `${id}-time` },
    PREFERRED_TIMES.map((choice) => h("option", { value: choice }, choice)),
  );
  const consent = h("input", { id: `${id}-consent`, type: "checkbox" });
  const inputs = { name, phone, consent };

  const form = /** @type {HTMLFormElement} */ (
    h(
      "form",
      {
        class: "callback",
        "aria-labelledby": `${id}-title`,
        novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          const values = {
            name: /** @type {HTMLInputElement} */ (name).value,
            phone: /** @type {HTMLInputElement} */ (phone).value,
            consent: /** @type {HTMLInputElement} */ (consent).checked,
          };
          const found = problems(values);
          showProblems(form, inputs, found);
          if (Object.keys(found).length) return;
          actions.send({
            name: values.name.trim(),
            phone: values.phone.trim(),
            preferred_time: /** @type {HTMLSelectElement} */ (time).value,
            consent: true,
          });
        },
      },
      h("h3", { id: `${id}-title` }, "Request a call back"),
      h(
        "p",
        {},
        `Someone from ${clinicName} will phone you back ${when}. ` +
          `This is not for emergencies: in an emergency, call ${emergencyNumber}.`,
      ),
      field(`${id}-name`, "Your name", name),
      field(`${id}-phone`, "Phone number", phone),
      field(`${id}-time`, "Best time to call", time),
      h(
        "div",
        { class: "consent" },
        h("p", { class: "field-error", id: `${id}-consent-error`, hidden: true }),
        consent,
        h(
          "label",
          { for: `${id}-consent` },
          `I agree that ${clinicName} keeps my name, phone number and best time to call, ` +
            `encrypted, for up to ${callbackRetention}, only to call me back ${when}. ` +
            "I know this is not for emergencies.",
        ),
      ),
      h(
        "div",
        { class: "form-actions" },
        h("button", { type: "submit", class: "primary" }, "Send request"),
        h("button", { type: "button", class: "secondary", onclick: () => actions.decline() }, "No thanks"),
      ),
    )
  );
  return form;
}

/**
 * Show each field's problem (or clear it) and focus the first field with one.
 *
 * @param {HTMLFormElement} form
 * @param {Object<string, HTMLElement>} inputs
 * @param {Object<string, string>} found
 */
function showProblems(form, inputs, found) {
  let first = null;
  for (const [key, input] of Object.entries(inputs)) {
    const error = /** @type {HTMLElement} */ (form.querySelector(`#${input.id}-error`));
    const message = found[key] || "";
    error.textContent = message;
    error.hidden = !message;
    if (message) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", error.id);
      first = first || input;
    } else {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    }
  }
  if (first) first.focus();
}
