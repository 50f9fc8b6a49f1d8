// Meeting procedures: the list of speakers (procedures/speakers*.ts; the brief is
// ../shared/PROCEDURES.md §2).
import type { HubContext } from '../context.ts';
import type { Router } from '../route.ts';
import { ROUTES } from '../../../shared/routes.ts';
import { Speakers } from '../procedures/speakers.ts';
import { speakerStats } from '../procedures/speakers-stats.ts';

export function speakerRoutes(route: Router, hub: HubContext): void {
  const speakers = new Speakers(hub);

  // The tables are the truth: bring every kept list's mirror up to date at start (a running
  // countdown is on the hub's clock, so it reads the same before and after a restart).
  const kept = hub.sqlite.prepare<[], { id: string }>('SELECT DISTINCT meeting_id AS id FROM speaker_lists').all();
  for (const { id } of kept) if (hub.db.meeting(id)) hub.core.atomically(() => speakers.mirror(id, speakers.store.items(id)));

  route(ROUTES.speakers, async ({ params: { id } }) => speakers.view(id));

  route(ROUTES.requestFloor, async ({ account: a, params: { id }, body }) => ({ ...speakers.request(id, a.id, body), serverTime: Date.now() }));

  route(ROUTES.withdrawFloor, async ({ account: a, params: { id, speakerId } }) => {
    speakers.withdraw(id, a.id, speakerId);
  });

  route(ROUTES.speakerControl, async ({ account: a, params: { id }, body }) => ({ list: speakers.control(id, a.id, body), serverTime: Date.now() }));

  route(ROUTES.speakerSettings, async ({ account: a, params: { id }, body }) => {
    speakers.settings(id, a.id, body);
    return speakers.view(id);
  });

  route(ROUTES.speakerStats, async ({ params: { id } }) => speakerStats(hub.sqlite, id));
}
