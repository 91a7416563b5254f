/**
 * The chat widget: a launcher button and a chat panel inside a Shadow DOM.
 *
 * @module widget
 */

import { accessibleColor } from "./color.js";
import { Connection } from "./connection.js";
import { Conversation } from "./conversation.js";
import { adoptStyles, h, icon, ICONS } from "./dom.js";
import { introduction, offlineNotice } from "./notices.js";
import { WidgetStorage } from "./storage.js";

/** Hide the typing indicator if no reply came after this long. */
const TYPING_TIMEOUT_MS = 30000;
// The assistant reads up to READ_CHARS characters and answers longer messages with
// its "too long" reply; the box takes far more, so pasted text is never cut silently.
const READ_CHARS = 2000;
const MAX_TYPED_CHARS = 10000;
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

    this.conversation = new Conversation({
      config: this.config,
      storage: this.storage,
      connection: this.connection,
      log: this.log,
      send: (payload, shown) => this.send(payload, shown),
      focusInput: (hint) => this.focusInput(hint),
      showTyping: () => this.showTyping(),
    });
    this.conversation.renderHistory();
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
    this.startButton = h("button", { type: "button", class: "primary", onclick: () => this.start() }, "Start");
    this.intro = introduction(this.config, this.startButton);
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
        maxlength: String(MAX_TYPED_CHARS),
        placeholder: "Type your question",
        "aria-describedby": "chat-hint",
        oninput: () => this.onInput(),
      })
    );
    this.hint = h("p", { id: "chat-hint", class: "hint", hidden: true });
    this.form = h(
      "form",
      { class: "composer", onsubmit: (event) => this.onSubmit(event) },
      this.hint,
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
    this.hideTyping();
    this.banner.append(...offlineNotice(this.config));
  }

  /** @private Warn (not cut) when the text is longer than the assistant reads. */
  onInput() {
    const length = this.input.value.trim().length;
    if (length > READ_CHARS) {
      this.hint.textContent = `Your message is ${length.toLocaleString("en-GB")} characters long. `
        + `The assistant reads up to ${READ_CHARS.toLocaleString("en-GB")}: please shorten it.`;
      this.hint.hidden = false;
    } else if (!this.hint.hidden && this.hint.dataset.length === "1") {
      this.clearHint();
    }
    this.hint.dataset.length = length > READ_CHARS ? "1" : "";
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
    this.clearHint();
    this.conversation.add({ from: "user", text: shown });
    this.showTyping();
    this.connection.sendText(payload);
  }

  /**
   * Focus the question box, showing ``hint`` under it.
   *
   * @param {string} [hint]
   */
  focusInput(hint) {
    if (hint) {
      this.hint.textContent = hint;
      this.hint.hidden = false;
    }
    this.input.focus();
  }

  /** @private */
  clearHint() {
    this.hint.hidden = true;
    this.hint.textContent = "";
  }

  /**
   * A bot message arrived.
   *
   * @param {import("./connection.js").BotMessage} message
   */
  receive(message) {
    this.hideTyping();
    const { text, buttons, contentId, reply } = message;
    this.conversation.add({ from: "bot", text, buttons, contentId, reply, helpful: null });
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
