// Who a manager may name in the record: the meeting's participants first (reserved opinions are
// theirs only), then every other account (an action item may go to someone outside the meeting).
import type { Api } from '../../api.ts';

export interface Person {
  id: string;
  name: string;
}

export interface People {
  participants: Person[];
  /** Accounts outside the meeting (empty when the caller may not list accounts). */
  others: Person[];
}

/** What every control of the Record tab is given about where it works. */
export interface RecordCtx {
  api: Api;
  meetingId: string;
  itemId: string;
  locked: boolean;
  announce: (m: string) => void;
}
