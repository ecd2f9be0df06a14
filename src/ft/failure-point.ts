/**
 * Failure points: where a computer fail-stops. Written on command lines as a primary instruction count
 * (`12345`), `epoch:N` (right after the epoch-end message of epoch N) or `event:N` (right after the
 * computer's Nth externally visible action: an I/O issued, a message sent, a completion received;
 * `event:0` is before the first). `partition@POINT`, with POINT in any of these forms, cuts the channel at that
 * point of the primary's run instead (spec 9, partition.ts), as `REPLICA@POINT` names a replica in a failure list.
 */
import { ShadowError } from '../base/errors.js';

export type FailurePoint =
  | { readonly kind: 'instruction'; readonly n: number }
  | { readonly kind: 'epoch'; readonly n: number }
  | { readonly kind: 'event'; readonly n: number };

export function parseFailurePoint(text: string): FailurePoint {
  const m = /^(?:(epoch|event):)?(\d+)$/.exec(text.trim());
  const n = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(n) || (m[1] === 'epoch' && n < 1)) {
    throw new ShadowError('USAGE', `bad failure point '${text}': expected an instruction count (e.g. 1200), epoch:N (N >= 1) or event:N`);
  }
  if (m[1] === 'epoch') return { kind: 'epoch', n };
  if (m[1] === 'event') return { kind: 'event', n };
  return { kind: 'instruction', n };
}

export function formatFailurePoint(p: FailurePoint): string {
  return p.kind === 'instruction' ? String(p.n) : `${p.kind}:${p.n}`;
}

/** A `--fail-at` value: a fail-stop point, or a partition at a point of the primary's run. */
export interface FaultPoint {
  readonly partition: boolean;
  readonly point: FailurePoint;
}

const PARTITION = 'partition@';

export function parseFaultPoint(text: string): FaultPoint {
  const t = text.trim();
  if (!t.startsWith(PARTITION)) return { partition: false, point: parseFailurePoint(t) };
  const rest = t.slice(PARTITION.length);
  // The point after `partition@` is read as any other point (failure-sequence.ts reads REPLICA@POINT the same way).
  try {
    return { partition: true, point: parseFailurePoint(rest) };
  } catch {
    throw new ShadowError(
      'USAGE',
      `bad partition point '${text}': expected partition@POINT, POINT an instruction count (e.g. 1200), epoch:N (N >= 1) or event:N`,
    );
  }
}

export function formatFaultPoint(p: FaultPoint): string {
  return (p.partition ? PARTITION : '') + formatFailurePoint(p.point);
}
