// Pieces every procedure screen shows the same way: the quorum banner, a countdown, a vote's
// progress, and what a command's failure says (a vote's result: results.tsx).
import type { AttendanceSummary } from '../../shared/procedures/attendance.ts';
import type { Countdown } from '../../shared/procedures/speakers.ts';
import type { PollPublic } from '../../shared/procedures/polls.ts';
import { useT } from '../i18n/index.tsx';
import { useHubNow } from './clock.ts';
import { countdownPhase, countdownRemaining, formatClock } from './model.ts';
import { refusalText } from './refusals.ts';
import type { CommandState } from './use-command.ts';

/** "Quorum: 15 of 21, 14 needed" (VI "Đủ số lượng: 15/21 (cần 14)"), or that it is not met. */
export function QuorumBanner({ summary, className = '' }: { summary: AttendanceSummary | null; className?: string }) {
  const t = useT();
  if (!summary) return <p className={`quorum muted ${className}`} role="status">{t('proc.quorum.unknown')}</p>;
  const vars = { present: summary.present, base: summary.base, needed: summary.quorum.needed };
  return (
    <p className={`quorum ${summary.quorum.met ? 'met' : 'not-met'} ${className}`} role="status" data-testid="quorum">
      <span className="quorum-mark" aria-hidden="true">{summary.quorum.met ? '✓' : '!'}</span>
      {summary.quorum.met ? t('proc.quorum.met', vars) : t('proc.quorum.notMet', vars)}
    </p>
  );
}

/**
 * A countdown on the hub's clock: `endsAt` while running (corrected by the clock estimate),
 * `remainingMs` while paused; amber from the warning mark, red and negative past zero.
 */
export function CountdownView({ countdown, label, className = '' }: { countdown: Countdown; label: string; className?: string }) {
  const t = useT();
  const now = useHubNow(countdown.running);
  const remaining = countdownRemaining(countdown, now);
  const phase = countdownPhase(remaining, countdown.warnAtMs);
  return (
    <span className={`countdown phase-${phase} ${className}`} role="timer" aria-label={label} data-phase={phase}>
      {formatClock(remaining)}
      {!countdown.running && <span className="countdown-paused"> {t('proc.speak.paused')}</span>}
    </span>
  );
}

/** Time left until a vote closes on its own (hub clock). */
export function DeadlineView({ endsAt, className = '' }: { endsAt: number; className?: string }) {
  const t = useT();
  const now = useHubNow(true);
  const remaining = Math.max(0, endsAt - now);
  return <span className={`countdown ${remaining <= 10_000 ? 'phase-warn' : ''} ${className}`} role="timer" aria-label={t('proc.vote.timeLeft')}>{formatClock(remaining)}</span>;
}

/** "Voted 12 of 21", with a bar. */
export function PollProgress({ poll, className = '' }: { poll: Pick<PollPublic, 'voted' | 'entitled' | 'endsAt' | 'state'>; className?: string }) {
  const t = useT();
  return (
    <div className={`poll-progress ${className}`}>
      <p className="poll-voted" data-testid="poll-voted">
        {t('proc.vote.voted', { n: poll.voted, m: poll.entitled })}
        {poll.state === 'started' && poll.endsAt !== null && <> · <DeadlineView endsAt={poll.endsAt} /></>}
      </p>
      <progress max={Math.max(1, poll.entitled)} value={poll.voted} aria-hidden="true" />
    </div>
  );
}

/** What a failed command says: the hub's refusal, or plainly that the hub is needed. */
export function CommandFeedback({ command }: { command: Pick<CommandState, 'error' | 'hubMissing'> }) {
  const t = useT();
  if (command.hubMissing) return <p className="proc-needs-hub" role="alert">{t('proc.needsHub')}</p>;
  if (command.error) return <p className="error small" role="alert">{refusalText(t, command.error)}</p>;
  return null;
}
