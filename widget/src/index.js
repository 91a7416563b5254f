/**
 * Entry point of widget.js. A clinic embeds the widget with one script tag:
 *
 *   <script src="https://…/widget.js" data-server-url="https://bot.example.org"
 *     data-clinic-name="…" data-clinic-phone="…" data-emergency-number="999"
 *     data-primary-color="#1d6b5f"></script>
 *
 * @module index
 */

import { currentScript, readConfig } from "./config.js";
import { ChatWidget } from "./widget.js";

/* global __WIDGET_CSS__ */
/** Minified styles.css, inlined by build.mjs. */
const CSS = __WIDGET_CSS__;

const script = currentScript();

/** Create the widget once the page body exists (as `window.clinicChatWidget`, for debugging and tests). */
function boot() {
  if (window.clinicChatWidget) return;
  window.clinicChatWidget = new ChatWidget(readConfig(script), CSS);
  window.clinicChatWidget.mount();
}

if (document.body) boot();
else document.addEventListener("DOMContentLoaded", boot);
