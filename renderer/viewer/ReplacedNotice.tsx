// The notice a reader gets when a paper they annotated is replaced (issue 16, problem 4): which
// pages' notes came along to the new version, which stayed on the one before, and a way to open
// that one with its notes. Shown over the open paper (its latest version) and, with no paper
// open, for every such paper of the meeting. Dismissed per user, paper and version on this device.
import { useEffect, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { annotationsMap } from '../../shared/notes-doc.ts';
import { useT } from '../i18n/index.tsx';
import { navigate } from '../route.ts';
import { Icon } from '../ui/icons.tsx';
import { replacements, splitReplacedNotes, type PaperLike, type ReplacedSplit } from './replaced-notes.ts';

export interface ReplacedNoticeProps {
  meetingId: string;
  userId: string;
  papers: readonly PaperLike[] | null;
  notes: Y.Doc | null;
  /** The open paper and the version shown, if any. */
  openId: string | null;
  openSha: string | null;
}

const seenKey = (userId: string, s: { paperId: string; sha256: string }) => `chamber.replaced-seen.${userId}.${s.paperId}.${s.sha256}`;
const wasSeen = (key: string): boolean => {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
};

/** The split for every replaced paper, read again after each burst of note changes. */
function useReplacedSplits(notes: Y.Doc | null, papers: readonly PaperLike[] | null): ReplacedSplit[] {
  const relevant = useMemo(() => (papers ? replacements(papers).map((r) => r.paper) : []), [papers]);
  // Bumped when the notes change; the split is read from the document in render.
  const [rev, setRev] = useState(0);
  const watch = !!notes && relevant.length > 0;
  useEffect(() => {
    if (!notes || !watch) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    // A stroke is many updates; a synced replica arrives in one: read once the burst settles.
    const schedule = () => {
      if (!timer) timer = setTimeout(() => {
        timer = null;
        setRev((r) => r + 1);
      }, 150);
    };
    const map = annotationsMap(notes);
    map.observe(schedule);
    return () => {
      map.unobserve(schedule);
      if (timer) clearTimeout(timer);
    };
  }, [notes, watch]);
  return useMemo(() => (notes && relevant.length ? splitReplacedNotes(notes, relevant) : []), [notes, relevant, rev]); // eslint-disable-line react-hooks/exhaustive-deps -- rev stands for the notes' changes
}

export function ReplacedNotice(p: ReplacedNoticeProps) {
  const t = useT();
  const splits = useReplacedSplits(p.notes, p.papers);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(() => new Set());
  const shown = splits.filter((s) => {
    const key = seenKey(p.userId, s);
    if (dismissed.has(key) || wasSeen(key)) return false;
    // An open paper: only its own notice, and only over its latest version (an older one says so itself).
    return p.openId ? s.paperId === p.openId && s.sha256 === p.openSha : true;
  });
  if (!shown.length) return null;

  const dismiss = (s: ReplacedSplit) => {
    const key = seenKey(p.userId, s);
    try {
      localStorage.setItem(key, '1');
    } catch {
      // Private mode: remembered for this screen only.
    }
    setDismissed((d) => new Set(d).add(key));
  };
  const body = (s: ReplacedSplit) => {
    const vars = { carried: s.carried.join(', '), stayed: s.stayed.join(', '), c: s.carried.length, s: s.stayed.length, prev: s.previous };
    if (s.carried.length && s.stayed.length) return t('replaced.both', vars);
    return s.carried.length ? t('replaced.carried', vars) : t('replaced.stayed', vars);
  };
  return (
    <div className="replaced-notices">
      {shown.map((s) => (
        <section key={s.paperId} className="replaced-notice" role="status" aria-label={t('replaced.label')}>
          <Icon name="info" />
          <p>
            {p.openId ? t('replaced.head', { v: s.version }) : t('replaced.headTitled', { title: s.title, v: s.version })}{' '}
            {body(s)}
          </p>
          <div className="replaced-actions">
            <button
              type="button"
              onClick={() => navigate({ name: 'meeting', meetingId: p.meetingId, paperId: s.paperId, page: s.stayed[0] ?? 1, sha256: s.previousSha256 })}
            >
              {t('replaced.openOld', { prev: s.previous })}
            </button>
            <button type="button" className="replaced-dismiss" aria-label={t('replaced.dismiss')} title={t('replaced.dismiss')} onClick={() => dismiss(s)}>
              <Icon name="close" />
            </button>
          </div>
        </section>
      ))}
    </div>
  );
}
