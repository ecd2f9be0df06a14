/** Small formatting helpers shared by every layer. */

/** `0x` and the 32-bit value in hex, padded to 8 digits: `0x80000000`. */
export const hex32 = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');

/** The 32-bit value in hex, padded to 8 digits, no prefix: `80000000`. */
export const hex8 = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');

/** `0x` and the 32-bit value in hex, unpadded: `0x1f`. */
export const hex = (v: number): string => '0x' + (v >>> 0).toString(16);
