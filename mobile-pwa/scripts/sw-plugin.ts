// Builds src/sw.ts into dist/sw.js (fixed name, site root, so its scope is the whole app) and
// writes into it the list of files to keep for offline use. That list only exists once the
// bundle's hashed file names are known, hence a plugin rather than a static file.

import { createHash } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { Plugin } from "vite";

/** What src/sw.ts contains literally, to be replaced by the file list and the version. */
export const PRECACHE_PLACEHOLDER = "__COAGENT_PRECACHE__";
export const VERSION_PLACEHOLDER = "__COAGENT_CACHE_VERSION__";

/** Modules only a concierge runs, at a desk and online: their chunks (and the styles only they
 * import) are left out of the offline list, so members' phones do not download the console. */
export const NOT_PRECACHED = /\/src\/(console\/|api\/console|app\/console-gate)/;

export function serviceWorker(entry = "src/sw.ts"): Plugin {
  let publicDir = "";
  return {
    name: "coagent-service-worker",
    apply: "build",
    // After Vite's own bundle clean-up, which drops the empty JS chunks left behind by CSS
    // imported from lazy modules: the list must name only files that are written.
    enforce: "post",
    config(config) {
      const build = (config.build ??= {});
      const options = (build.rolldownOptions ??= {});
      options.input = { index: "index.html", sw: entry };
      options.output = {
        ...(Array.isArray(options.output) ? {} : options.output),
        entryFileNames: (chunk) => (chunk.name === "sw" ? "sw.js" : "assets/[name]-[hash].js"),
      };
    },
    configResolved(resolved) {
      publicDir = resolved.publicDir;
    },
    generateBundle(_options, bundle) {
      const sw = bundle["sw.js"];
      if (!sw || sw.type !== "chunk") this.error("sw.js was not produced");
      const skipped = consoleOnly(bundle);
      const files = Object.keys(bundle).filter((name) => name !== "sw.js" && !name.endsWith(".map") && !skipped.has(name));
      const publicFiles = publicDir ? listFiles(publicDir) : [];
      const urls = ["/", ...[...files, ...publicFiles].filter((f) => f !== "index.html").map((f) => `/${f}`)].sort();
      const hash = createHash("sha256");
      for (const name of files) {
        const item = bundle[name];
        if (!item) continue;
        hash.update(name);
        hash.update(item.type === "chunk" ? item.code : typeof item.source === "string" ? item.source : Buffer.from(item.source));
      }
      for (const name of publicFiles) hash.update(name);
      const version = hash.digest("hex").slice(0, 12);
      if (!sw.code.includes(PRECACHE_PLACEHOLDER) || !sw.code.includes(VERSION_PLACEHOLDER)) {
        this.error("the service worker lost its placeholders; the offline file list cannot be written");
      }
      // Placeholders are string literals in the source; the replacement must stay a string
      // literal, so the list goes in as JSON text parsed at run time.
      sw.code = sw.code
        .replace(PRECACHE_PLACEHOLDER, JSON.stringify(JSON.stringify(urls)).slice(1, -1))
        .replace(VERSION_PLACEHOLDER, version);
    },
  };
}

type Bundle = Parameters<NonNullable<Extract<Plugin["generateBundle"], (...args: never[]) => unknown>>>[1];

/** The console's chunks and the CSS files that only they import. */
function consoleOnly(bundle: Bundle): Set<string> {
  const skipped = new Set<string>();
  const cssElsewhere = new Set<string>();
  const cssHere = new Set<string>();
  for (const [name, item] of Object.entries(bundle)) {
    if (item.type !== "chunk") continue;
    const css = [...(item.viteMetadata?.importedCss ?? [])];
    const ids = item.moduleIds.filter((id) => !id.startsWith("\0"));
    if (ids.length && ids.every((id) => NOT_PRECACHED.test(id.split(sep).join("/")))) {
      skipped.add(name);
      css.forEach((c) => cssHere.add(c));
    } else css.forEach((c) => cssElsewhere.add(c));
  }
  for (const c of cssHere) if (!cssElsewhere.has(c)) skipped.add(c);
  return skipped;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path).split(sep).join("/"));
    }
  };
  try {
    walk(dir);
  } catch {
    // no public folder
  }
  return out;
}
