// Enough of a PNG decoder (RFC 2083: 8-bit RGB/RGBA, non-interlaced, as Chromium writes them)
// to tell a real screenshot from a blank one: distinct colours and the luminance spread.
import { inflateSync } from "node:zlib";

/** {width, height, distinctColors, lumaStdDev} of a PNG buffer. Throws on other PNG kinds. */
export function pngStats(buf) {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error("not a PNG");
  let off = 8;
  let width, height, channels;
  const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString("latin1", off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === "IHDR") {
      [width, height] = [data.readUInt32BE(0), data.readUInt32BE(4)];
      const [depth, colorType, , , interlace] = data.subarray(8);
      channels = { 2: 3, 6: 4 }[colorType];
      if (depth !== 8 || !channels || interlace !== 0) throw new Error(`unsupported PNG (depth ${depth}, colour type ${colorType}, interlace ${interlace})`);
    } else if (type === "IDAT") idat.push(data);
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const img = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? img[y * stride + x - channels] : 0;
      const b = y > 0 ? img[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? img[(y - 1) * stride + x - channels] : 0;
      const paeth = () => {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      };
      const pred = [0, a, b, (a + b) >> 1, filter === 4 ? paeth() : 0][filter];
      if (pred === undefined) throw new Error(`bad PNG filter ${filter}`);
      img[y * stride + x] = (src[x] + pred) & 0xff;
    }
  }
  const colors = new Set();
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < img.length; i += channels) {
    colors.add((img[i] << 16) | (img[i + 1] << 8) | img[i + 2]);
    const l = 0.2126 * img[i] + 0.7152 * img[i + 1] + 0.0722 * img[i + 2];
    sum += l;
    sumSq += l * l;
  }
  const n = width * height;
  return { width, height, distinctColors: colors.size, lumaStdDev: Math.sqrt(Math.max(0, sumSq / n - (sum / n) ** 2)) };
}
