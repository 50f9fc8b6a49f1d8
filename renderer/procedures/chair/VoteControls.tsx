// The chair's votes: the form for a new one (VoteForm.tsx: approval, selection or strike-out,
// named or secret, the majority and quorum check) whose `Open vote` creates and starts it, then
// the meeting's votes, newest first (PollRow.tsx: close, publish, reset, annul, re-vote). Progress
// and results come from the live doc, the rest from the hub.
import { useCallback, useState } from 'react';
import type * as Y from 'yjs';
import type { PollDetail } from '../../../shared/procedures/polls.ts';
import type { Api } from '../../api.ts';
import { useT } from '../../i18n/index.tsx';
import { useAgendaItems, useAttendanceSummary, useCurrentItem, useLiveDoc, usePolls } from '../live.ts';
import { PollRow } from './PollRow.tsx';
import { VoteForm } from './VoteForm.tsx';
import { NEW_VOTE, revoteForm, type VoteForm as Form } from './vote-form-model.ts';

export function VoteControls({ api, meetingId, meetingDoc, announce }: { api: Api; meetingId: string; meetingDoc: Y.Doc; announce: (m: string) => void }) {
  const t = useT();
  const { doc } = useLiveDoc(meetingId, api.token);
  const polls = usePolls(doc);
  const summary = useAttendanceSummary(doc);
  const items = useAgendaItems(meetingDoc);
  const current = useCurrentItem(meetingDoc);
  const [seed, setSeed] = useState<Form>(NEW_VOTE);
  const newestFirst = [...polls].sort((a, b) => b.at - a.at);
  const onRevote = useCallback((detail: PollDetail) => setSeed(revoteForm(detail)), []);
  const cancelRevote = useCallback(() => setSeed(NEW_VOTE), []);

  return (
    <div className="chair-panel chair-votes">
      <VoteForm key={seed.revoteOf?.id ?? 'new'} api={api} meetingId={meetingId} items={items} currentItemId={current?.id ?? null}
        seed={seed} onCancelRevote={cancelRevote} announce={announce} />
      {newestFirst.length > 0 && (
        <ul className="poll-list" aria-label={t('chair.vote.list')}>
          {newestFirst.map((p) => <PollRow key={p.id} api={api} poll={p} polls={polls} present={summary?.present ?? 0} onRevote={onRevote} announce={announce} />)}
        </ul>
      )}
    </div>
  );
}
