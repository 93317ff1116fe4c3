// PNG encoding of resvg's pixels with Node's zlib. resvg-js's own encoder (asPng) spent 8-9 ms of CPU a picture
// whatever the picture held (a blank 900 x 800 page cost as much as a chart: its deflate is the dear part), a fifth
// of a picture's whole cost; zlib at a low level does the same page in about 2.5 ms for files of the same size.
// The pixels are written as they are (8-bit RGBA, as resvg wrote them, no filter), so a decoder reads back exactly
// the pixels drawn (test/charts/metrics-chart.test.ts decodes and compares).
import zlib from "node:zlib";

/**
 * zlib level 2: measured on 40 varied charts at 1.25x, level 1-3 all take 2-3 ms and give 52-56 KB (resvg's encoder
 * 56 KB); from level 4 the time doubles for files a fifth smaller, which the outbox does not need.
 */
const LEVEL = 2;

/**
 * The rows with their filter bytes, kept for the next picture: a fresh 2.5 MB buffer each time is taken from the
 * system page by page (page faults are dear on these machines; see native-memory.ts).
 */
let scratch: Buffer | null = null;

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** RGBA pixels (width x height x 4 bytes, straight alpha, as resvg's `pixels`) → PNG bytes. */
export function encodePng(pixels: Uint8Array, width: number, height: number): Buffer {
  const rowBytes = width * 4;
  if (pixels.length !== rowBytes * height) throw new Error(`encodePng: ${pixels.length} bytes for ${width}x${height} RGBA`);
  const size = (rowBytes + 1) * height;
  if (!scratch || scratch.length < size) scratch = Buffer.allocUnsafe(size);
  const src = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.length);
  for (let y = 0; y < height; y++) {
    const at = y * (rowBytes + 1);
    scratch[at] = 0; // filter type None
    src.copy(scratch, at + 1, y * rowBytes, (y + 1) * rowBytes);
  }
  const idat = zlib.deflateSync(scratch.subarray(0, size), { level: LEVEL });
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  // compression 0, filter method 0, no interlace
  return Buffer.concat([SIGNATURE, chunk("IHDR", ihdr), chunk("IDAT", idat), chunk("IEND", Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** zlib.crc32 where Node has it (20.15+), else the same CRC-32 from a table. */
const crc32: (bytes: Uint8Array) => number = (() => {
  const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
  return native ? (bytes: Uint8Array) => native(bytes) >>> 0 : crc32Table;
})();

let table: Uint32Array | null = null;
/** CRC-32 (ISO 3309, as PNG uses) from a table; exported for the test that checks it against zlib's. */
export function crc32Table(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
