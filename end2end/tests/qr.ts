import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Locator } from '@playwright/test';

// Reads a QR code the way a phone's camera would: from the pixels on the screen, not from
// the markup (the kiosk's `data-link` attribute is only there for debugging).

/** Decodes the QR code in a PNG image; throws if there is none. */
export function decodeQrPng(png: Buffer): string {
  const image = PNG.sync.read(png);
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  const code = jsQR(pixels, image.width, image.height, { inversionAttempts: 'dontInvert' });
  if (!code) throw new Error(`no QR code found in a ${image.width}×${image.height} image`);
  return code.data;
}

/** Screenshots the element (e.g. the kiosk's `.qr svg`) and decodes the QR code in it. */
export async function readQr(element: Locator): Promise<string> {
  return decodeQrPng(await element.screenshot({ animations: 'disabled', scale: 'css' }));
}
