// A ballot's draft on this tablet (sessionStorage, per user and poll): the choice survives a
// dropped connection or a reload, and `sent` remembers that a ballot left the tablet before its
// answer came back, so the tablet asks the hub whether it was counted rather than guessing.
// Never sent on its own: the user sends again (a queued ballot could land after the vote closed).
import { z } from 'zod';
import { APPROVAL_VALUES } from '../../shared/procedures/polls.ts';

const draftSchema = z.object({
  value: z.enum(APPROVAL_VALUES).nullable(),
  /** A selection's marks (chosen, or struck on a strike-out ballot); null when not known here. */
  marked: z.array(z.string().max(64)).max(200).nullable().optional(),
  /** choosing → sent (no answer yet) → counted. */
  stage: z.enum(['choosing', 'sent', 'counted']),
  tracker: z.string().max(200).nullable(),
});
export type BallotDraft = z.infer<typeof draftSchema>;

const key = (userId: string, pollId: string) => `chamber.ballot.${userId}.${pollId}`;

export function loadDraft(userId: string, pollId: string): BallotDraft | null {
  try {
    const text = sessionStorage.getItem(key(userId, pollId));
    if (!text) return null;
    const parsed = draftSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveDraft(userId: string, pollId: string, draft: BallotDraft): void {
  try {
    sessionStorage.setItem(key(userId, pollId), JSON.stringify(draft));
  } catch {
    /* storage full or off: the choice still stands on screen */
  }
}
