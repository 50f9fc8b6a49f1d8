// Paper files by sha256, with ETag and Range, verified against their hash before any byte is sent.
import { sendBlob } from '../../core/http-common.ts';
import type { HubContext } from '../context.ts';
import type { Router } from '../route.ts';
import { ROUTES } from '../../../shared/routes.ts';

export function blobRoutes(route: Router, hub: HubContext): void {
  // The table's rule answers 404 rather than 403 for papers the caller may not see.
  route(ROUTES.blob, async ({ account: a, params: { sha }, req, reply }) => {
    const range = req.headers.range;
    if (req.method === 'GET' && !range) hub.db.audit('paper-downloaded', a.id, sha);
    else if (req.method === 'GET' && /^bytes=0-/.test(String(range))) hub.db.audit('paper-downloaded', a.id, sha, { range });
    return sendBlob(req, reply, hub.store, sha, hub.blobCache);
  });
}
