/**
 * The chat widget: a launcher button and a chat panel inside a Shadow DOM.
 *
 * @module widget
 */

import { accessibleColor } from "./color.js";
import { Connection } from "./connection.js";
import { h, icon, ICONS, phoneLink } from "./dom.js";
import { splitReply } from "./messages.js";
import { WidgetStorage } from "./storage.js";

/** Hide the typing indicator if no reply came after this long. */
const TYPING_TIMEOUT_MS = 30000;
/** Same breakpoint as styles.css: there the panel covers the whole screen. */
const FULL_SCREEN = "(max-width: 480px)";

export class ChatWidget {
  /**
   * @param {import("./config.js").WidgetConfig} config
   * @param {string} css the widget's style sheet
   */
  constructor(config, css) {
    this.config = config;
    this.css = css;
    this.storage = new WidgetStorage(config.serverUrl);
    /** @type {import("./storage.js").HistoryItem[]} */
    this.history = this.storage.loadHistory();
    this.typingTimer = 0;
    this.connection = new Connection({
      serverUrl: config.serverUrl,
      socketPath: config.socketPath,
      storage: this.storage,
      onBotMessage: (message) => this.receive(message),
      onStatus: (status) => this.showStatus(status),
    });
  }

  /**
   * Add the widget to the page (at the end of <body>).
   *
   * @returns {HTMLElement} the host element
   */
  mount() {
    const host = document.createElement("clinic-chat-widget");
    host.style.setProperty("--primary", accessibleColor(this.config.primaryColor));
    const shadow = host.attachShadow({ mode: "open" });
    adoptStyles(shadow, this.css);
    shadow.appendChild(this.build());
    document.body.appendChild(host);
    this.host = host;

    this.renderHistory();
    if (this.storage.started) this.showChat();
    else this.showIntro();
    if (this.storage.open) this.open({ focus: false });
    return host;
  }

  /** @private Build the whole DOM tree once. */
  build() {
    const { clinicName } = this.config;
    this.launcher = h(
      "button",
      {
        type: "button",
        class: "launcher",
        "aria-expanded": "false",
        "aria-controls": "chat-panel",
        onclick: () => this.open({ focus: true }),
      },
      icon(ICONS.chat),
      h("span", {}, "Ask about your medicine"),
    );
    this.closeButton = h(
      "button",
      { type: "button", class: "icon-button", "aria-label": "Close chat", onclick: () => this.close() },
      icon(ICONS.close),
    );
    this.banner = h("div", { class: "banner", role: "alert" });
    this.intro = this.buildIntro();
    this.log = h("div", {
      class: "log",
      role: "log",
      "aria-live": "polite",
      "aria-label": "Conversation",
      tabindex: "0",
    });
    this.typing = h(
      "div",
      { class: "typing", role: "status", hidden: true },
      h("span", { class: "dots", "aria-hidden": "true" }, h("span"), h("span"), h("span")),
      h("span", { class: "sr-only" }, "The assistant is typing"),
    );
    this.input = /** @type {HTMLInputElement} */ (
      h("input", {
        id: "chat-input",
        type: "text",
        autocomplete: "off",
        maxlength: "2000",
        placeholder: "Type your question",
      })
    );
    this.form = h(
      "form",
      { class: "composer", onsubmit: (event) => this.onSubmit(event) },
      h("label", { for: "chat-input", class: "sr-only" }, "Your question"),
      this.input,
      h("button", { type: "submit", class: "send", "aria-label": "Send" }, icon(ICONS.send)),
    );
    this.chat = h("div", { class: "chat", hidden: true }, this.log, this.typing, this.form);
    this.panel = h(
      "section",
      {
        id: "chat-panel",
        class: "panel",
        role: "dialog",
        "aria-labelledby": "chat-title",
        hidden: true,
        onkeydown: (event) => this.onKeydown(event),
      },
      h(
        "header",
        { class: "header" },
        h(
          "div",
          {},
          h("h2", { id: "chat-title" }, "Medicines assistant"),
          h("p", { class: "subtitle" }, `${clinicName} \u00b7 automated, not a person`),
        ),
        this.closeButton,
      ),
      this.banner,
      this.intro,
      this.chat,
    );
    return h("aside", { class: "root", "aria-label": `${clinicName} medicines assistant` }, this.launcher, this.panel);
  }

  /** @private The introduction shown before first use. */
  buildIntro() {
    const { clinicName, clinicPhone, emergencyNumber, disclaimer } = this.config;
    this.startButton = h("button", { type: "button", class: "primary", onclick: () => this.start() }, "Start");
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
      h("p", { class: "disclaimer" }, disclaimer),
      this.startButton,
    );
  }

  /**
   * Open the panel.
   *
   * @param {{focus: boolean}} options move focus into the panel (on user action)
   */
  open({ focus }) {
    this.panel.hidden = false;
    this.launcher.hidden = true;
    this.launcher.setAttribute("aria-expanded", "true");
    this.storage.open = true;
    if (this.storage.started) this.connection.start();
    this.scrollToEnd();
    if (focus) (this.storage.started ? this.input : this.startButton).focus();
  }

  /** Close the panel and give focus back to the launcher. */
  close() {
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.launcher.setAttribute("aria-expanded", "false");
    this.storage.open = false;
    this.launcher.focus();
  }

  /**
   * @private Escape closes; on phones, where the panel covers the page, Tab
   * cycles inside the panel instead of reaching the hidden page behind it.
   * @param {KeyboardEvent} event
   */
  onKeydown(event) {
    if (event.key === "Escape") {
      event.stopPropagation();
      this.close();
      return;
    }
    if (event.key !== "Tab" || !window.matchMedia(FULL_SCREEN).matches) return;
    const focusable = [...this.panel.querySelectorAll("button, input, a[href], [tabindex='0']")].filter(
      (element) => element.getClientRects().length > 0,
    );
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    const active = this.host.shadowRoot.activeElement;
    if (event.shiftKey ? active === first : active === last) {
      event.preventDefault();
      (event.shiftKey ? last : first).focus();
    }
  }

  /** @private "Start" on the introduction. */
  start() {
    this.storage.started = true;
    this.showChat();
    this.connection.start();
    this.input.focus();
  }

  /** @private */
  showIntro() {
    this.intro.hidden = false;
    this.chat.hidden = true;
  }

  /** @private */
  showChat() {
    this.intro.hidden = true;
    this.chat.hidden = false;
  }

  /**
   * Show or clear the "cannot reach the assistant" message.
   *
   * @param {import("./connection.js").Status} status
   */
  showStatus(status) {
    this.banner.replaceChildren();
    if (status !== "offline") return;
    const { clinicName, clinicPhone, emergencyNumber } = this.config;
    this.hideTyping();
    const parts = [
      h("strong", {}, "We can\u2019t reach the assistant right now."),
      " We will keep trying.",
      ...(clinicPhone ? [" If you need help, call ", clinicName, " on ", phoneLink(clinicPhone), "."] : []),
      ` In an emergency, call ${emergencyNumber}.`,
    ];
    this.banner.append(...parts);
  }

  /** @private */
  onSubmit(event) {
    event.preventDefault();
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = "";
    this.input.focus();
    this.send(text, text);
  }

  /**
   * Send a message and show it in the conversation.
   *
   * @param {string} payload what the server receives
   * @param {string} shown what the patient sees (a quick reply's title)
   */
  send(payload, shown) {
    this.add({ from: "user", text: shown });
    this.showTyping();
    this.connection.sendText(payload);
  }

  /**
   * A bot message arrived.
   *
   * @param {import("./connection.js").BotMessage} message
   */
  receive(message) {
    this.hideTyping();
    this.add({ from: "bot", text: message.text, buttons: message.buttons, contentId: message.contentId, helpful: null });
  }

  /**
   * Append a message to the history and the conversation.
   *
   * @param {import("./storage.js").HistoryItem} item
   */
  add(item) {
    this.history.push(item);
    this.storage.saveHistory(this.history);
    for (const group of this.log.querySelectorAll(".quick")) group.remove();
    const element = this.log.appendChild(this.renderItem(item, true));
    // Show the question and the start of a (long) answer rather than its end.
    const question = element.previousElementSibling;
    const top = item.from === "bot" && question && question.classList.contains("user") ? question : element;
    if (item.from === "bot") this.log.scrollTop = top.offsetTop - 12;
    else this.scrollToEnd();
  }

  /** @private Render the stored conversation after a reload. */
  renderHistory() {
    this.history.forEach((item, index) => {
      this.log.appendChild(this.renderItem(item, index === this.history.length - 1));
    });
  }

  /**
   * @private
   * @param {import("./storage.js").HistoryItem} item
   * @param {boolean} last quick replies are only offered on the latest message
   * @returns {HTMLElement}
   */
  renderItem(item, last) {
    if (item.from === "user") {
      return h("div", { class: "message user" }, h("span", { class: "sr-only" }, "You said: "), h("p", {}, item.text));
    }
    const { paragraphs, disclaimer } = splitReply(item.text);
    const element = h(
      "div",
      { class: "message bot" },
      h("span", { class: "sr-only" }, "Assistant said: "),
      paragraphs.map((paragraph) => h("p", {}, paragraph)),
      disclaimer ? h("p", { class: "disclaimer" }, disclaimer) : null,
    );
    if (item.contentId) element.appendChild(this.renderFeedback(item));
    if (last && item.buttons && item.buttons.length) {
      element.appendChild(
        h(
          "div",
          { class: "quick", role: "group", "aria-label": "Suggested questions" },
          item.buttons.map((button) =>
            h(
              "button",
              {
                type: "button",
                onclick: () => {
                  this.send(button.payload, button.title);
                  this.input.focus();
                },
              },
              button.title,
            ),
          ),
        ),
      );
    }
    return element;
  }

  /**
   * @private "Was this helpful? Yes / No", or the thanks once answered.
   * @param {import("./storage.js").HistoryItem} item
   * @returns {HTMLElement}
   */
  renderFeedback(item) {
    if (item.helpful === true || item.helpful === false) {
      return h("p", { class: "thanks" }, "Thank you for your feedback.");
    }
    const group = h(
      "div",
      { class: "feedback", role: "group", "aria-label": "Was this answer helpful?" },
      h("span", { "aria-hidden": "true" }, "Was this helpful?"),
      [true, false].map((helpful) =>
        h(
          "button",
          {
            type: "button",
            "aria-label": helpful ? "Yes, this was helpful" : "No, this was not helpful",
            onclick: () => {
              item.helpful = helpful;
              this.storage.saveHistory(this.history);
              this.connection.sendFeedback(/** @type {string} */ (item.contentId), helpful);
              group.replaceWith(this.renderFeedback(item));
              this.input.focus();
            },
          },
          helpful ? "Yes" : "No",
        ),
      ),
    );
    return group;
  }

  /** @private */
  showTyping() {
    this.typing.hidden = false;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.hideTyping(), TYPING_TIMEOUT_MS);
    this.scrollToEnd();
  }

  /** @private */
  hideTyping() {
    clearTimeout(this.typingTimer);
    this.typing.hidden = true;
  }

  /** @private */
  scrollToEnd() {
    this.log.scrollTop = this.log.scrollHeight;
  }
}

/**
 * Apply the style sheet to the shadow root. A constructed style sheet also works
 * on pages whose Content-Security-Policy forbids inline <style>.
 *
 * @param {ShadowRoot} shadow
 * @param {string} css
 */
function adoptStyles(shadow, css) {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    shadow.appendChild(h("style", {}, css));
  }
}
