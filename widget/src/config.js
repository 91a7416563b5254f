/**
 * Widget settings, read from the data-* attributes of the embedding script tag.
 *
 * The medical disclaimer is not configured here: it comes with every reply, in
 * the reply's parts (`metadata.reply.disclaimer`).
 *
 * @module config
 */

/**
 * @typedef {Object} WidgetConfig
 * @property {string} serverUrl        Rasa server, e.g. "http://localhost:5005".
 * @property {string} socketPath       socket.io path on that server.
 * @property {string} clinicName
 * @property {string} clinicPhone
 * @property {string} emergencyNumber
 * @property {string} primaryColor     "#rrggbb" as given (adjusted later for contrast).
 * @property {string} openingHours     When the clinic calls back, e.g. "Monday to Friday, 8am to 6pm".
 * @property {string} callbackRetention How long call-back details are kept, e.g. "90 days".
 */

/**
 * Read the configuration from a script element.
 *
 * @param {HTMLScriptElement | null} script
 * @returns {WidgetConfig}
 */
export function readConfig(script) {
  const data = (script && script.dataset) || {};
  return {
    serverUrl: (data.serverUrl || "http://localhost:5005").replace(/\/+$/, ""),
    socketPath: data.socketPath || "/socket.io/",
    clinicName: data.clinicName || "the clinic",
    clinicPhone: data.clinicPhone || "",
    emergencyNumber: data.emergencyNumber || "999",
    primaryColor: data.primaryColor || "#1f5f8b",
    openingHours: data.openingHours || "",
    callbackRetention: data.callbackRetention || "90 days",
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
