/**
 * Failure sequences for a replica group: `--fail-at event:120,backup@event:300,event:900`. Each element is
 * `[REPLICA@]POINT`: REPLICA is `primary` (the default: whichever replica is primary when the point comes),
 * `backup` (rank 1, the first backup), or a rank number (0 is the primary, 1..K the backups in the order they
 * joined), or `joining`: the replica a rebackup is bringing in, failed during its state transfer (the transfer is
 * abandoned, and a new one starts). The elements happen in order, each armed once the one before it has happened. Points are read on
 * the group's own timeline, which a takeover does not reset: an instruction count is the guest's (the same on
 * every replica), `epoch:N` the end of the guest's epoch N, and `event:N` the group's Nth externally visible
 * action, counted over every replica that has been primary. A point already passed when its element is
 * armed comes at the next action.
 */
import { ShadowError } from '../base/errors.js';
import { formatFailurePoint, parseFailurePoint, type FailurePoint } from './failure-point.js';

export interface FailureStep {
  /** 0: the current primary; r >= 1: the replica of rank r when the point comes; 'joining': the one being transferred. */
  readonly rank: number | 'joining';
  readonly point: FailurePoint;
}

const MAX_RANK = 64;

export function parseFailureSequence(text: string): FailureStep[] {
  const parts = text.split(',');
  if (parts.some((p) => p.trim() === '')) {
    throw new ShadowError('USAGE', `bad failure list '${text}': expected POINT or REPLICA@POINT elements separated by commas`);
  }
  return parts.map((part) => {
    const at = part.indexOf('@');
    if (at < 0) return { rank: 0, point: parseFailurePoint(part) };
    const who = part.slice(0, at).trim();
    if (who === 'joining') return { rank: 'joining' as const, point: parseFailurePoint(part.slice(at + 1)) };
    const rank = who === 'primary' ? 0 : who === 'backup' ? 1 : /^\d+$/.test(who) ? Number(who) : NaN;
    if (!Number.isSafeInteger(rank) || rank > MAX_RANK) {
      throw new ShadowError(
        'USAGE',
        `bad replica '${who}' in '${part.trim()}': expected primary, backup, joining or a rank from 0 to ${MAX_RANK}`,
      );
    }
    return { rank, point: parseFailurePoint(part.slice(at + 1)) };
  });
}

export function formatFailureStep(s: FailureStep): string {
  const p = formatFailurePoint(s.point);
  return s.rank === 0 ? p : s.rank === 1 ? `backup@${p}` : s.rank === 'joining' ? `joining@${p}` : `${s.rank}@${p}`;
}

export function formatFailureSequence(steps: readonly FailureStep[]): string {
  return steps.map(formatFailureStep).join(',');
}
