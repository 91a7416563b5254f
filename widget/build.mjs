/**
 * Build dist/widget.js: one minified IIFE with socket.io-client bundled and the
 * minified CSS inlined (so a clinic embeds a single script tag).
 * Usage: npm run build
 */
import { rm } from "node:fs/promises";

import * as esbuild from "esbuild";

const target = ["chrome100", "firefox100", "safari15", "edge100"];

await rm("dist", { recursive: true, force: true });

const css = await esbuild.build({
  entryPoints: ["src/styles.css"],
  bundle: true,
  minify: true,
  write: false,
  target,
  logLevel: "warning",
});

await esbuild.build({
  entryPoints: ["src/index.js"],
  outfile: "dist/widget.js",
  bundle: true,
  minify: true,
  format: "iife",
  platform: "browser",
  target,
  define: { __WIDGET_CSS__: JSON.stringify(css.outputFiles[0].text.trim()) },
  legalComments: "eof",
  logLevel: "info",
});
