// Creating a meeting: one form used by the console's Meeting tab and by the meeting list, so a
// secretary with no meeting yet (hence no console to open) can still start one.
import { useState } from 'react';
import type { AccountRole } from '../../shared/roles.ts';
import type { Api } from '../api.ts';
import { navigate } from '../route.ts';
import { createMeeting, errorText } from './console-api.ts';
import { useT } from '../i18n/index.tsx';

/** The hub lets these account roles create meetings (POST /api/meetings); others are refused. */
export const mayCreateMeetings = (role: AccountRole): boolean => role === 'admin' || role === 'secretary' || role === 'chair';

// A meeting just created from the list opens on the console's Meeting tab (participants,
// publish), which is the next thing its creator has to do.
const pendingTab = new Map<string, 'meeting'>();
export const takeRequestedTab = (meetingId: string): 'meeting' | null => {
  const tab = pendingTab.get(meetingId) ?? null;
  pendingTab.delete(meetingId);
  return tab;
};

export function CreateMeetingForm({ api, openConsole = false }: { api: Api; openConsole?: boolean }) {
  const t = useT();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <form className="ce-inline" onSubmit={(e) => {
      e.preventDefault();
      const title = name.trim();
      if (!title || busy) return;
      setBusy(true);
      setError(null);
      createMeeting(api, { title }).then((m) => {
        setName('');
        if (openConsole) pendingTab.set(m.id, 'meeting');
        navigate({ name: 'meeting', meetingId: m.id, paperId: null, page: 1, sha256: null });
      }, (err: unknown) => setError(t('console.error.generic', { msg: errorText(t, err) }))).finally(() => setBusy(false));
    }}>
      <label>{t('console.meeting.newName')}<input value={name} maxLength={300} required onChange={(e) => setName(e.target.value)} /></label>
      <button type="submit" disabled={busy || !name.trim()}>{t('console.meeting.createBtn')}</button>
      {error && <p className="error small" role="alert">{error}</p>}
    </form>
  );
}
