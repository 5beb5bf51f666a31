// The scanner's worker: the QR codes in a camera picture, searched away from the page's thread
// by the small wasm built from qr-read/ (scripts/build). Takes { width, height, rgba } (the
// picture's bytes, transferred), answers with the codes' texts; the page falls back to its own
// search if this cannot start.
import init, { read_rgba } from './qr_read.js';

const ready = init();

self.onmessage = async ({ data }) => {
  await ready;
  const found = read_rgba(data.width, data.height, new Uint8Array(data.rgba));
  self.postMessage(found ? found.split('\n') : []);
};
