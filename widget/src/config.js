/**
 * Widget settings, read from the data-* attributes of the embedding script tag.
 *
 * @module config
 */

/**
 * @typedef {Object} WidgetConfig
 * @property {string} serverUrl       Rasa server, e.g. "http://localhost:5005".
 * @property {string} socketPath      socket.io path on that server.
 * @property {string} clinicName
 * @property {string} clinicPhone
 * @property {string} emergencyNumber
 * @property {string} primaryColor    "#rrggbb" as given (adjusted later for contrast).
 * @property {string} disclaimer      The medical disclaimer shown in the introduction.
 */

/** Same wording as content/disclaimer.yml `text`; a test keeps them in step. */
export const DEFAULT_DISCLAIMER =
  "This is general information, not medical advice for you. Always follow your " +
  "prescriber's advice. In an emergency, call {emergency_number}.";

/**
 * Read the configuration from a script element.
 *
 * @param {HTMLScriptElement | null} script
 * @returns {WidgetConfig}
 */
export function readConfig(script) {
  const data = (script && script.dataset) || {};
  const emergencyNumber = data.emergencyNumber || "999";
  return {
    serverUrl: (data.serverUrl || "http://localhost:5005").replace(/\/+$/, ""),
    socketPath: data.socketPath || "/socket.io/",
    clinicName: data.clinicName || "the clinic",
    clinicPhone: data.clinicPhone || "",
    emergencyNumber,
    primaryColor: data.primaryColor || "#1f5f8b",
    disclaimer: (data.disclaimer || DEFAULT_DISCLAIMER).replace("{emergency_number}", emergencyNumber),
  };
}

/**
 * The script tag that loaded the widget.
 *
 * @returns {HTMLScriptElement | null}
 */
export function currentScript() {
  const script = document.currentScript;
  if (script instanceof HTMLScriptElement) return script;
  return document.querySelector("script[data-server-url]");
}
