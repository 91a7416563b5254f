/**
 * The conversation log: the history (kept in sessionStorage) and how each message
 * is shown. Bot replies are rendered from their parts (render.js); rated answers
 * ask "Was this helpful?" (feedback.js); the call-back form (callback.js) opens
 * under a reply that asks for it or from the offers after "Not helpful".
 *
 * @module conversation
 */

import { callbackForm, DECLINED } from "./callback.js";
import { h } from "./dom.js";
import { renderFeedback } from "./feedback.js";
import { readButtons, readParts, telUri, URGENT_KINDS } from "./messages.js";
import { renderParts } from "./render.js";

/** A reply with this content id asks the patient for call-back details. */
const CALLBACK_CONTENT_ID = "request_callback";
const REPHRASE_HINT = "Try asking in a different way, in a few simple words. Name your medicine if you can.";

export class Conversation {
  /**
   * @param {Object} options
   * @param {import("./config.js").WidgetConfig} options.config
   * @param {import("./storage.js").WidgetStorage} options.storage
   * @param {import("./connection.js").Connection} options.connection
   * @param {HTMLElement} options.log the conversation's element (role="log")
   * @param {(payload: string, shown: string) => void} options.send send text as the patient
   * @param {(hint?: string) => void} options.focusInput focus the question box, optionally with a hint
   * @param {() => void} options.showTyping
   */
  constructor({ config, storage, connection, log, send, focusInput, showTyping }) {
    this.config = config;
    this.storage = storage;
    this.connection = connection;
    this.log = log;
    this.send = send;
    this.focusInput = focusInput;
    this.showTyping = showTyping;
    /** @type {import("./storage.js").HistoryItem[]} */
    this.history = storage.loadHistory();
    this.ids = 0;
  }

  /**
   * Append a message to the history and the conversation.
   *
   * @param {import("./storage.js").HistoryItem} item
   */
  add(item) {
    this.history.push(item);
    this.storage.saveHistory(this.history);
    // Quick replies are only offered on the latest message; an open call-back
    // form goes once the patient moves on (not when a late reply arrives).
    const stale = item.from === "user" ? ".quick, form.callback" : ".quick";
    for (const element of this.log.querySelectorAll(stale)) element.remove();
    const element = this.log.appendChild(this.renderItem(item, true, true));
    this.offerCallbackIfAsked(item);
    // Show the question and the start of a (long) answer rather than its end.
    const question = element.previousElementSibling;
    const top = item.from === "bot" && question && question.classList.contains("user") ? question : element;
    if (item.from === "bot") this.log.scrollTop = top.offsetTop - 12;
    else this.log.scrollTop = this.log.scrollHeight;
  }

  /** Render the stored conversation after a reload. */
  renderHistory() {
    this.history.forEach((item, index) => {
      const last = index === this.history.length - 1;
      this.log.appendChild(this.renderItem(item, last, false));
      if (last) this.offerCallbackIfAsked(item);
    });
  }

  /**
   * @private
   * @param {import("./storage.js").HistoryItem} item
   * @param {boolean} last quick replies are only offered on the latest message
   * @param {boolean} fresh just arrived (urgent cards are announced as alerts)
   * @returns {HTMLElement}
   */
  renderItem(item, last, fresh) {
    if (item.from === "user") {
      return h("div", { class: "message user" }, h("span", { class: "sr-only" }, "You said: "), h("p", {}, item.text));
    }
    const parts = readParts(item.reply);
    const urgent = parts !== null && URGENT_KINDS.includes(parts.kind);
    const element = h(
      "div",
      { class: urgent ? `message bot card ${parts.kind}` : "message bot", role: urgent && fresh ? "alert" : null },
      h("span", { class: "sr-only" }, "Assistant said: "),
      // From an old server without parts: the text as it is, never parsed.
      parts ? renderParts(parts, { clinicName: this.config.clinicName, links: this.links(parts), id: this.newId() })
        : h("p", {}, item.text),
    );
    if (parts && parts.rate) element.appendChild(renderFeedback(item.helpful, this.feedbackActions(item, parts)));
    const buttons = parts ? parts.quickReplies : readButtons(item.buttons);
    if (last && buttons.length) {
      element.appendChild(
        h(
          "div",
          { class: "quick", role: "group", "aria-label": "Suggested questions" },
          buttons.map((button) =>
            h("button", { type: "button", onclick: () => this.sendAndFocus(button.payload, button.title) }, button.title),
          ),
        ),
      );
    }
    return element;
  }

  /** @private */
  sendAndFocus(payload, shown) {
    this.send(payload, shown);
    this.focusInput();
  }

  /**
   * @private The numbers to link in a reply: its contacts, and the configured ones.
   * @param {import("./messages.js").Parts} parts
   * @returns {import("./messages.js").Link[]}
   */
  links(parts) {
    const configured = [this.config.emergencyNumber, this.config.clinicPhone]
      .map((number) => ({ number, tel: telUri(number) }))
      .filter((link) => link.number && link.tel);
    return [...parts.contacts, ...configured];
  }

  /** @private A unique prefix for element ids inside the shadow root. */
  newId() {
    this.ids += 1;
    return `m${this.ids}`;
  }

  /**
   * @private What the "Was this helpful?" buttons and the offers after "No" do.
   * @param {import("./storage.js").HistoryItem} item
   * @param {import("./messages.js").Parts} parts
   * @returns {import("./feedback.js").FeedbackActions}
   */
  feedbackActions(item, parts) {
    const clinic = parts.contacts.find((contact) => contact.role === "clinic");
    const configured = telUri(this.config.clinicPhone);
    return {
      clinicName: this.config.clinicName,
      clinic: clinic || (configured ? { number: this.config.clinicPhone, tel: configured } : null),
      answer: (helpful) => {
        item.helpful = helpful;
        this.storage.saveHistory(this.history);
        this.connection.sendFeedback(parts.contentId, helpful);
        if (helpful) this.focusInput();
      },
      rephrase: () => this.focusInput(REPHRASE_HINT),
      callBack: () => this.offerCallback(null),
    };
  }

  /**
   * @private Show the call-back form under a (latest) reply that asks for it.
   * @param {import("./storage.js").HistoryItem} item
   */
  offerCallbackIfAsked(item) {
    if (item.from !== "bot" || item.callbackDone) return;
    const parts = readParts(item.reply);
    if (parts && parts.contentId === CALLBACK_CONTENT_ID) this.offerCallback(item, false);
  }

  /**
   * @private Open the call-back form (one at a time) at the end of the conversation.
   * @param {import("./storage.js").HistoryItem | null} item the reply that asked for it
   * @param {boolean} [focus] move focus to its first field
   */
  offerCallback(item, focus = true) {
    let form = /** @type {HTMLFormElement | null} */ (this.log.querySelector("form.callback"));
    if (!form) {
      const done = (shown, request) => {
        if (item) item.callbackDone = true;
        /** @type {HTMLFormElement} */ (form).remove();
        this.add({ from: "user", text: shown });
        this.showTyping();
        this.connection.sendCallback(request);
        this.focusInput();
      };
      form = callbackForm(this.config, this.newId(), {
        send: (request) => done("Please call me back.", request),
        decline: () => done("No thanks.", { ...DECLINED }),
      });
      this.log.appendChild(form);
    }
    if (focus) {
      form.scrollIntoView({ block: "nearest" });
      /** @type {HTMLElement} */ (form.querySelector("input")).focus();
    }
  }
}
