/**
 * What the widget remembers in the browser.
 *
 * - The conversation id (socket.io session id) is kept in localStorage, so the
 *   server-side conversation survives reloads, new tabs and dropped connections.
 * - The rendered history, "intro seen" and "panel open" are kept in
 *   sessionStorage: they survive a reload, but the text of a medical conversation
 *   is not left on a shared computer after the browser tab is closed.
 *
 * Every access is guarded: storage can be disabled or full (private browsing).
 *
 * @module storage
 */

/**
 * @typedef {Object} Button
 * @property {string} title
 * @property {string} payload
 */

/**
 * @typedef {Object} HistoryItem
 * @property {"user" | "bot"} from
 * @property {string} text
 * @property {Button[]} [buttons]    Quick replies offered with a bot message.
 * @property {string | null} [contentId]  Content item of a bot message.
 * @property {boolean | null} [helpful]   Feedback given on a bot message.
 * @property {unknown} [reply]   The bot message's parts as received (messages.js).
 * @property {boolean} [callbackDone]  The call-back form under it was sent or declined.
 */

const MAX_ITEMS = 200;

export class WidgetStorage {
  /**
   * @param {string} serverUrl keys are per server, so two widgets don't mix.
   */
  constructor(serverUrl) {
    this.prefix = `clinic-chat:${serverUrl}:`;
  }

  /** @private */
  get(area, key) {
    try {
      return window[area].getItem(this.prefix + key);
    } catch {
      return null;
    }
  }

  /** @private */
  set(area, key, value) {
    try {
      if (value === null) window[area].removeItem(this.prefix + key);
      else window[area].setItem(this.prefix + key, value);
    } catch {
      /* storage unavailable: the widget still works, it just forgets */
    }
  }

  /** @returns {string | null} */
  get sessionId() {
    return this.get("localStorage", "session");
  }

  set sessionId(id) {
    this.set("localStorage", "session", id);
  }

  /**
   * The secret the server issued with the session id: without it the server
   * starts a new conversation instead of resuming this one.
   *
   * @returns {string | null}
   */
  get resumeToken() {
    return this.get("localStorage", "resume");
  }

  set resumeToken(token) {
    this.set("localStorage", "resume", token);
  }

  /** @returns {boolean} */
  get started() {
    return this.get("sessionStorage", "started") === "1";
  }

  set started(value) {
    this.set("sessionStorage", "started", value ? "1" : null);
  }

  /** @returns {boolean} */
  get open() {
    return this.get("sessionStorage", "open") === "1";
  }

  set open(value) {
    this.set("sessionStorage", "open", value ? "1" : null);
  }

  /** @returns {HistoryItem[]} */
  loadHistory() {
    try {
      const items = JSON.parse(this.get("sessionStorage", "history") || "[]");
      return Array.isArray(items) ? items.filter(isHistoryItem) : [];
    } catch {
      return [];
    }
  }

  /** @param {HistoryItem[]} items */
  saveHistory(items) {
    this.set("sessionStorage", "history", JSON.stringify(items.slice(-MAX_ITEMS)));
  }
}

/**
 * @param {unknown} item
 * @returns {boolean}
 */
function isHistoryItem(item) {
  return Boolean(item) && (item.from === "user" || item.from === "bot") && typeof item.text === "string";
}
