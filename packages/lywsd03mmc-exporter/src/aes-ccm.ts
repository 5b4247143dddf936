import { createDecipheriv } from 'node:crypto';

/** Both encrypted formats (BTHome v2, MiBeacon v4/v5) end their ciphertext with a 4-byte MIC. */
export const CCM_MIC_LENGTH = 4;

/** AES-128-CCM decryption; undefined when the MIC does not match (a wrong bindkey). */
export function decryptCcm(
  key: Buffer,
  nonce: Buffer,
  ciphertext: Buffer,
  tag: Buffer,
  aad?: Buffer,
): Buffer | undefined {
  try {
    const d = createDecipheriv('aes-128-ccm', key, nonce, { authTagLength: CCM_MIC_LENGTH });
    d.setAuthTag(tag);
    if (aad) d.setAAD(aad, { plaintextLength: ciphertext.length });
    return Buffer.concat([d.update(ciphertext), d.final()]);
  } catch {
    return undefined;
  }
}
