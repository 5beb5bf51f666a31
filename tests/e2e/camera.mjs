// The face-to-face route's camera, stood in for at the browser's own interface: the frames a
// sender's page shows, taken from its canvas as JPEGs, played to another browser as its camera
// (Chromium's fake capture device reads an MJPEG file: JPEGs one after another, 30 a second).
import { writeFile } from 'node:fs/promises';
import jsQR from 'jsqr';

/** The frames `page` shows as QR codes, as JPEGs of one size (the code centred on white): `count` distinct ones. */
export async function captureFrames(page, count) {
  await page.waitForFunction(() => document.querySelector('[data-test=qr-canvas]')?.dataset.frame);
  const frames = [];
  let last = '';
  while (frames.length < count) {
    const shot = await page.evaluate(() => {
      const src = document.querySelector('[data-test=qr-canvas]');
      const out = Object.assign(document.createElement('canvas'), { width: 480, height: 480 });
      const ctx = out.getContext('2d');
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, 480, 480);
      ctx.drawImage(src, (480 - src.width) / 2, (480 - src.height) / 2);
      return { n: src.dataset.frame, url: out.toDataURL('image/jpeg', 0.92) };
    });
    if (shot.n !== last) {
      last = shot.n;
      frames.push(Buffer.from(shot.url.split(',')[1], 'base64'));
    }
    await page.waitForTimeout(15);
  }
  return frames;
}

/** Writes `frames` to `file` as MJPEG, each held for `hold` of the camera's 30 pictures a second. */
export async function mjpeg(file, frames, hold) {
  await writeFile(file, Buffer.concat(frames.flatMap((f) => Array(hold).fill(f))));
  return file;
}

/** Options for a phone whose camera plays `file`; `allowed`: whether the camera is permitted. */
export function cameraPhone(file, allowed = true) {
  const args = ['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${file}`];
  if (allowed) args.push('--use-fake-ui-for-media-stream');
  return { args };
}

/**
 * Chrome on Android's `BarcodeDetector`, which Linux Chromium lacks, stood in for at the
 * browser's interface: `detect()` takes the video's picture and hands it, grey, to a QR reader
 * in Node (jsQR), as the phone's own reader would read it. `window.__detections` counts calls.
 */
export async function standInBarcodeDetector(context) {
  const decode = jsQR.default ?? jsQR;
  await context.exposeFunction('__readQr', (b64, w, h) => {
    const grey = Buffer.from(b64, 'base64');
    const rgba = new Uint8ClampedArray(w * h * 4);
    for (let i = 0; i < w * h; i++) {
      rgba.fill(grey[i], i * 4, i * 4 + 3);
      rgba[i * 4 + 3] = 255;
    }
    const code = decode(rgba, w, h);
    return code ? [code.data] : [];
  });
  await context.addInitScript(() => {
    window.__detections = 0;
    window.BarcodeDetector = class {
      static async getSupportedFormats() {
        return ['qr_code', 'ean_13'];
      }
      constructor(options) {
        this.formats = options?.formats ?? [];
      }
      async detect(source) {
        const [w, h] = [source.videoWidth, source.videoHeight];
        if (!w || !this.formats.includes('qr_code')) return [];
        window.__detections += 1;
        const ctx = Object.assign(document.createElement('canvas'), { width: w, height: h }).getContext('2d');
        ctx.drawImage(source, 0, 0);
        const rgba = ctx.getImageData(0, 0, w, h).data;
        let grey = '';
        for (let i = 0; i < w * h; i++) grey += String.fromCharCode(rgba[i * 4 + 1]);
        const texts = await window.__readQr(btoa(grey), w, h);
        return texts.map((rawValue) => ({ rawValue, format: 'qr_code' }));
      }
    };
  });
}
