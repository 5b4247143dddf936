// Advert payloads for the benchmarks: N sensors, every frame unique (the counter moves).
import { createCipheriv } from 'node:crypto';

export const BINDKEY = Buffer.from('e9ea895fac7cca6d30532432a516f3a8', 'hex');

export const macOf = (i) => `a4c138${(0x1000000 + i).toString(16).slice(1)}`.toUpperCase();
const le = (mac) => Buffer.from(mac, 'hex').reverse();

export function pvvx(mac, n) {
  const b = Buffer.alloc(15);
  le(mac).copy(b, 0);
  b.writeInt16LE(-1234 + (n % 3000), 6);
  b.writeUInt16LE(4567, 8);
  b.writeUInt16LE(2950, 10);
  b[12] = 80;
  b[13] = n & 0xff;
  return { uuid: '181a', data: b };
}

export function atc1441(mac, n) {
  const b = Buffer.alloc(13);
  Buffer.from(mac, 'hex').copy(b, 0);
  b.writeInt16BE(-53 + (n % 300), 6);
  b[8] = 50;
  b[9] = 85;
  b.writeUInt16BE(2900, 10);
  b[12] = n & 0xff;
  return { uuid: '181a', data: b };
}

export function bthome(_mac, n) {
  const b = Buffer.from('40 0000 0150 02 0000 03 ac17 0c 830b'.replace(/ /g, ''), 'hex');
  b[2] = n & 0xff;
  b.writeInt16LE(-500 + (n % 3000), 6);
  return { uuid: 'fcd2', data: b };
}

export function mibeacon(mac, n) {
  const macLe = le(mac);
  const head = Buffer.concat([Buffer.from('58585b05', 'hex'), Buffer.from([n & 0xff]), macLe]);
  const ext = Buffer.from([(n >> 8) & 0xff, (n >> 16) & 0xff, 0]);
  const objects = Buffer.from('0d1004 9cff 2c01'.replace(/ /g, ''), 'hex');
  const nonce = Buffer.concat([macLe, head.subarray(2, 5), ext]);
  const c = createCipheriv('aes-128-ccm', BINDKEY, nonce, { authTagLength: 4 });
  c.setAAD(Buffer.from([0x11]), { plaintextLength: objects.length });
  const ct = Buffer.concat([c.update(objects), c.final()]);
  return { uuid: 'fe95', data: Buffer.concat([head, ct, ext, c.getAuthTag()]) };
}

export const FORMATS = { pvvx, atc1441, bthome, mibeacon };
