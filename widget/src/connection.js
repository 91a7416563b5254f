/**
 * The socket.io connection to Rasa's socket.io channel (channels/socketio.py).
 *
 * Protocol: on every (re)connect the widget sends `session_request` with the
 * stored conversation id and resume token (`session_resume` {session_id,
 * resume_token} hands out both) and waits for `session_confirm`; only then are queued
 * messages sent, so a reply always reaches the room of this conversation.
 * `user_uttered` {message, session_id} sends text; `bot_uttered` {text,
 * quick_replies, metadata: {content_id, reply}} brings a reply (`reply` holds its
 * parts, see messages.js); `feedback` {session_id, content_id, helpful} stores
 * "Was this helpful?"; `callback_request` {name, phone, preferred_time, consent}
 * asks for a call back.
 *
 * @module connection
 */

import { io } from "socket.io-client";

/**
 * @typedef {"connecting" | "online" | "offline"} Status
 */

/**
 * @typedef {Object} BotMessage
 * @property {string} text
 * @property {import("./storage.js").Button[]} buttons
 * @property {string | null} contentId
 * @property {unknown} reply the reply's parts as sent (`metadata.reply`), checked when rendered
 */

/** Retry a refused connection (the server may be restarting) this often. */
const RETRY_REFUSED_MS = 10000;

export class Connection {
  /**
   * @param {Object} options
   * @param {string} options.serverUrl
   * @param {string} options.socketPath
   * @param {import("./storage.js").WidgetStorage} options.storage
   * @param {(message: BotMessage) => void} options.onBotMessage
   * @param {(status: Status) => void} options.onStatus
   */
  constructor({ serverUrl, socketPath, storage, onBotMessage, onStatus }) {
    this.serverUrl = serverUrl;
    this.socketPath = socketPath;
    this.storage = storage;
    this.onBotMessage = onBotMessage;
    this.onStatus = onStatus;
    /** @type {import("socket.io-client").Socket | null} */
    this.socket = null;
    this.ready = false;
    /** @type {Array<[string, Object]>} events waiting for session_confirm */
    this.queue = [];
  }

  /** Connect (once); later calls do nothing. */
  start() {
    if (this.socket) return;
    this.onStatus("connecting");
    const socket = io(this.serverUrl, {
      path: this.socketPath,
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 10000,
      timeout: 10000,
    });
    this.socket = socket;

    socket.on("connect", () => {
      socket.emit("session_request", {
        session_id: this.storage.sessionId,
        resume_token: this.storage.resumeToken,
      });
    });
    // Sent just before session_confirm: the session id and the secret that resumes it.
    socket.on("session_resume", (data) => {
      if (data && typeof data.session_id === "string" && typeof data.resume_token === "string") {
        this.storage.sessionId = data.session_id;
        this.storage.resumeToken = data.resume_token;
      }
    });
    socket.on("session_confirm", (sessionId) => {
      if (typeof sessionId === "string" && sessionId) this.storage.sessionId = sessionId;
      else if (sessionId && typeof sessionId.session_id === "string") this.storage.sessionId = sessionId.session_id;
      this.ready = true;
      this.onStatus("online");
      this.flush();
    });
    socket.on("bot_uttered", (data) => {
      const message = toBotMessage(data);
      if (message) this.onBotMessage(message);
    });
    socket.on("connect_error", () => {
      this.ready = false;
      this.onStatus("offline");
      // A refusal by the server is not retried by socket.io itself.
      if (!socket.active) setTimeout(() => socket.connect(), RETRY_REFUSED_MS);
    });
    socket.on("disconnect", (reason) => {
      this.ready = false;
      this.onStatus("offline");
      if (reason === "io server disconnect") socket.connect();
    });
  }

  /**
   * Send the patient's text (queued until the session is confirmed).
   *
   * @param {string} text
   */
  sendText(text) {
    this.send("user_uttered", { message: text });
  }

  /**
   * Send "Was this helpful?" feedback for one bot message.
   *
   * @param {string} contentId
   * @param {boolean} helpful
   */
  sendFeedback(contentId, helpful) {
    this.send("feedback", { content_id: contentId, helpful });
  }

  /**
   * Send a call-back request (or its refusal: consent false and no details).
   *
   * @param {import("./callback.js").CallbackRequest} request
   */
  sendCallback(request) {
    this.send("callback_request", request);
  }

  /** @private */
  send(event, data) {
    this.queue.push([event, data]);
    this.flush();
  }

  /** @private */
  flush() {
    while (this.ready && this.socket && this.socket.connected && this.queue.length) {
      const [event, data] = this.queue.shift();
      this.socket.emit(event, { ...data, session_id: this.storage.sessionId });
    }
  }
}

/**
 * Normalise a `bot_uttered` payload; null when there is nothing to show.
 *
 * @param {any} data
 * @returns {BotMessage | null}
 */
export function toBotMessage(data) {
  if (!data || typeof data.text !== "string" || !data.text.trim()) return null;
  const raw = Array.isArray(data.quick_replies) ? data.quick_replies : Array.isArray(data.buttons) ? data.buttons : [];
  const buttons = raw
    .filter((b) => b && typeof b.title === "string" && typeof b.payload === "string")
    .map((b) => ({ title: b.title, payload: b.payload }));
  const contentId = data.metadata && typeof data.metadata.content_id === "string" ? data.metadata.content_id : null;
  const reply = data.metadata && typeof data.metadata.reply === "object" ? data.metadata.reply : null;
  return { text: data.text, buttons, contentId, reply };
}
