// What the votes need to know of attendance, as an interface so polls (polls.ts) and attendance
// (attendance.ts) stay separate modules: attendance implements it, polls take it as a parameter.

export interface Roll {
  /** Members who may vote now: present (remote too where the quorum rule counts them) with the right to vote. */
  entitledNow(meetingId: string): string[];
  /** True while the member is checked in (present or present remotely). */
  isPresent(meetingId: string, userId: string): boolean;
  /** The quorum now, by the meeting's rule. */
  quorum(meetingId: string): { met: boolean; needed: number; present: number; base: number };
  /** Every member of the meeting with the right to vote, present or not (the `entitled` and `members_total` bases). */
  votingMembers(meetingId: string): string[];
}
