/**
 * The shape of an interrupt as data: what a computer's hardware raises (hw/types.ts `HwInterrupt`) and what
 * the channel carries as the primary's copy of it (channel/protocol.ts `InterruptCopy`). Declared once, in
 * the lowest layer, so that the channel's protocol does not import the hardware's types.
 */
export type InterruptRecord =
  | {
      readonly class: 'io';
      /** The operation it completes; -1 for a DISCONNECTED record that no operation caused. */
      readonly opId: number;
      readonly device: number;
      readonly tag: number;
      readonly status: number;
      readonly result: number;
      /** For a completed READ: the bytes that enter guest memory at delivery. */
      readonly data?: Uint8Array;
    }
  | { readonly class: 'timer' };
