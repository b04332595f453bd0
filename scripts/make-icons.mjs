// Rasterises the icon sources in resources/*.svg with Chromium (playwright-core) into the files
// electron-builder needs: resources/icon.png (1024 px; electron-builder derives .icns/.ico from it)
// and, for the file associations, <name>.png plus <name>.ico (Windows) and <name>.icns (macOS),
// which electron-builder copies as they are. Run it after editing an SVG and commit the outputs:
//   node scripts/make-icons.mjs [--chromium /path/to/chromium]
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const resources = join(root, 'resources');
const flag = process.argv.indexOf('--chromium');
const executablePath = flag > 0 ? process.argv[flag + 1] : (process.env.CHROMIUM ?? '/usr/bin/chromium');

/** Sizes (px) packed into a Windows .ico; 256 is the largest the format stores. */
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** PNG-encoded .icns entries (OSType → px): 1x and @2x slots macOS 10.7+ reads. */
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

/** One SVG drawn at `size` px square on a transparent background, as PNG bytes. */
async function render(page, svg, size) {
  await page.setViewportSize({ width: size, height: size });
  // Width/height on the root element make Chromium draw the vector at the target size (no bitmap scaling).
  const sized = svg.replace(
    /<svg\b([^>]*?)\swidth="\d+"\s+height="\d+"/,
    `<svg$1 width="${size}" height="${size}"`,
  );
  await page.setContent(
    `<!doctype html><html><body style="margin:0;background:transparent">${sized}</body></html>`,
  );
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}

/** A .ico holding PNG images (supported by Windows Vista and later). */
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, entry); // 0 means 256
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt8(0, entry + 2); // no palette
    header.writeUInt8(0, entry + 3);
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.png)]);
}

/** A .icns of PNG-encoded entries: 'icns', total length, then (OSType, length incl. 8, data)*. */
function icns(entries) {
  const chunks = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + chunks.reduce((sum, chunk) => sum + chunk.length, 0), 4);
  return Buffer.concat([head, ...chunks]);
}

const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  const cache = new Map();
  const draw = async (svg, size) => {
    if (!cache.has(size)) cache.set(size, await render(page, svg, size));
    return cache.get(size);
  };

  // The app icon: one large PNG; electron-builder makes the platform formats from it.
  const appSvg = await readFile(join(resources, 'icon.svg'), 'utf8');
  await writeFile(join(resources, 'icon.png'), await draw(appSvg, 1024));

  for (const name of ['file-firmware', 'file-recipe']) {
    cache.clear();
    const svg = await readFile(join(resources, `${name}.svg`), 'utf8');
    await writeFile(join(resources, `${name}.png`), await draw(svg, 512));
    const icoImages = [];
    for (const size of ICO_SIZES) icoImages.push({ size, png: await draw(svg, size) });
    await writeFile(join(resources, `${name}.ico`), ico(icoImages));
    const icnsEntries = [];
    for (const [type, size] of ICNS_TYPES) icnsEntries.push({ type, png: await draw(svg, size) });
    await writeFile(join(resources, `${name}.icns`), icns(icnsEntries));
  }
  console.log('icons written to resources/');
} finally {
  await browser.close();
}
