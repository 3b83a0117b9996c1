// Render ZPL (stdin) to PNG files with zpl-renderer-js, an independent renderer.
// Usage: node render.cjs OUT_PREFIX WIDTH_MM HEIGHT_MM DPMM  -> writes OUT_PREFIX-N.png, prints the paths.
const fs = require("node:fs");
const { ready } = require("zpl-renderer-js");

async function main() {
  const [prefix, width, height, dpmm] = process.argv.slice(2);
  const zpl = fs.readFileSync(0, "utf8");
  const { api } = await ready;
  const labels = await api.zplToBase64MultipleAsync(zpl, Number(width), Number(height), Number(dpmm));
  labels.forEach((label, index) => {
    const path = `${prefix}-${index + 1}.png`;
    fs.writeFileSync(path, Buffer.from(label, "base64"));
    console.log(path);
  });
}

main().catch((error) => {
  console.error(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
