// Draws the app icons (a white microphone on blue) and writes them as PNG files into
// public/icons. Pure Node, no image library: run `npm run icons` after changing the design;
// the PNGs are committed so a normal build does not need this script.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

const BLUE = [0x1e, 0x40, 0xaf];
const WHITE = [0xff, 0xff, 0xff];
const out = join(dirname(fileURLToPath(import.meta.url)), "..", "public", "icons");

/** Signed distance to a rounded rectangle centred at (cx, cy), half sizes hw, hh, radius r. */
function roundedRect(x, y, cx, cy, hw, hh, r) {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** Microphone glyph in a unit square (0..1), as a signed distance: negative inside. */
function mic(x, y) {
  const capsule = roundedRect(x, y, 0.5, 0.4, 0.11, 0.2, 0.11);
  // The U-shaped holder: a ring's lower half around the capsule.
  const holder = y >= 0.45 ? Math.abs(Math.hypot(x - 0.5, y - 0.45) - 0.2) - 0.035 : 1;
  const stem = roundedRect(x, y, 0.5, 0.72, 0.035, 0.08, 0.01);
  const base = roundedRect(x, y, 0.5, 0.8, 0.14, 0.035, 0.035);
  return Math.min(capsule, holder, stem, base);
}

/**
 * @param size pixels
 * @param opts.maskable full-bleed background, glyph inside the 80 % safe zone
 * @param opts.opaque no transparent corners (Apple touch icon)
 */
function draw(size, { maskable = false, opaque = false } = {}) {
  const px = new Uint8Array(size * size * 4);
  const ss = 4; // 4x4 supersampling for smooth edges
  const glyphScale = maskable ? 0.62 : 0.78;
  const cornerRadius = maskable || opaque ? 0 : 0.22;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const u = (i + (sx + 0.5) / ss) / size;
          const v = (j + (sy + 0.5) / ss) / size;
          const inBg = cornerRadius === 0 || roundedRect(u, v, 0.5, 0.5, 0.5, 0.5, cornerRadius) <= 0;
          if (!inBg) continue;
          bg++;
          const gu = (u - 0.5) / glyphScale + 0.5;
          const gv = (v - 0.5) / glyphScale + 0.5;
          if (mic(gu, gv) <= 0) fg++;
        }
      }
      const n = ss * ss;
      const a = bg / n;
      const f = bg === 0 ? 0 : fg / bg;
      const o = (j * size + i) * 4;
      for (let c = 0; c < 3; c++) px[o + c] = Math.round(BLUE[c] * (1 - f) + WHITE[c] * f);
      px[o + 3] = Math.round(a * 255);
    }
  }
  return png(size, size, px);
}

function png(width, height, rgba) {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

mkdirSync(out, { recursive: true });
const files = {
  "icon-192.png": draw(192),
  "icon-512.png": draw(512),
  "icon-maskable-512.png": draw(512, { maskable: true }),
  "apple-touch-icon.png": draw(180, { opaque: true }),
};
for (const [name, data] of Object.entries(files)) {
  writeFileSync(join(out, name), data);
  console.log(`${name}: ${data.length} bytes`);
}
