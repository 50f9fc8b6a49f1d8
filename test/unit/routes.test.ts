// The route table (shared/routes.ts) against what it drives: docs/api.md names every route in it
// and no other, each entry is internally consistent, and the agent's forward allow-list is
// exactly the table's `forward` entries.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bodyLimitOf, matchRoute, mediaTypesOf, pathFor, PARTICIPANT_RULES, ROUTE_LIST, ROUTES } from '../../shared/routes.ts';
import { LIMITS } from '../../shared/api.ts';
import { isForwarded } from '../../electron/agent/http-guard.ts';
import { OFFICE_TYPES } from '../../electron/hub/convert.ts';

const DOCS = path.resolve(import.meta.dirname, '../../docs/api.md');

/** `/api/blobs/:sha256?x=1`, `/updates/<file>`, `/updates/*` → one spelling per shape. */
const shape = (p: string) => p.split('?')[0]!.split('/').map((s) => (/^(:|<|\*)/.test(s) ? ':' : s)).join('/');
const key = (method: string, p: string) => `${method} ${shape(p)}`;

/** Every `METHOD /path` written in backticks in docs/api.md. */
function documentedRoutes(md: string): Set<string> {
  const out = new Set<string>();
  for (const m of md.matchAll(/`(GET|HEAD|POST|PUT|PATCH|DELETE) (\/[^`\s]*)`/g)) out.add(key(m[1]!, m[2]!));
  return out;
}

describe('docs/api.md and the route table', () => {
  const documented = documentedRoutes(fs.readFileSync(DOCS, 'utf8'));

  it('documents every route of the table with its method and path', () => {
    const missing = ROUTE_LIST.map((r) => key(r.method, r.path)).filter((k) => !documented.has(k));
    expect(missing).toEqual([]);
  });

  it('documents no route the table lacks', () => {
    const inTable = new Set(ROUTE_LIST.map((r) => key(r.method, r.path)));
    // HEAD is answered wherever GET is (Fastify's HEAD routes).
    const extra = [...documented].filter((k) => !inTable.has(k) && !(k.startsWith('HEAD ') && inTable.has(k.replace(/^HEAD/, 'GET'))));
    expect(extra).toEqual([]);
  });

  it('catches a drift: a route missing from the docs is reported', () => {
    const md = fs.readFileSync(DOCS, 'utf8').replaceAll('`PUT /api/meetings/:id/presenter`', 'the presenter route');
    expect(documentedRoutes(md).has(key('PUT', ROUTES.handPresenter.path))).toBe(false);
  });
});

describe('the route table', () => {
  it('has one entry per method and path', () => {
    const keys = ROUTE_LIST.map((r) => key(r.method, r.path));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives every path parameter a schema, and no schema without its parameter', () => {
    for (const r of ROUTE_LIST) {
      const named = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!).sort();
      expect(Object.keys(r.params?.shape ?? {}).sort(), `${r.method} ${r.path}`).toEqual(named);
    }
  });

  it('names who may call each route: anyone, signed in, account roles, or a known participant rule', () => {
    for (const r of ROUTE_LIST) {
      const ok = r.who === 'anyone' || r.who === 'signed-in' || Array.isArray(r.who) || (typeof r.who === 'string' && r.who in PARTICIPANT_RULES);
      expect(ok, `${r.method} ${r.path}`).toBe(true);
    }
    // Only sign-in (and, on an agent, resuming a device session by its cookie), health, the
    // renderer and the update feed are open to callers without a session.
    expect(ROUTE_LIST.filter((r) => r.who === 'anyone').map((r) => r.path).sort()).toEqual(['/', '/api/session', '/api/session/resume', '/health', '/updates/*']);
  });

  it('gives each body kind its media types and limit', () => {
    expect(bodyLimitOf(ROUTES.signIn)).toBe(LIMITS.maxSignInBytes);
    expect(bodyLimitOf(ROUTES.updateMeeting)).toBe(LIMITS.maxJsonBytes);
    expect(bodyLimitOf(ROUTES.upload)).toBe(LIMITS.maxPaperBytes);
    expect(mediaTypesOf(ROUTES.updateMeeting)).toEqual(['application/json']);
    // The upload takes exactly the office types the hub can convert, besides PDF.
    expect([...mediaTypesOf(ROUTES.upload)].sort()).toEqual(['application/octet-stream', 'application/pdf', ...Object.keys(OFFICE_TYPES)].sort());
    expect(ROUTE_LIST.filter((r) => r.body.kind === 'paper')).toEqual([ROUTES.upload]);
  });

  it('builds client paths and matches them back by the parameter schemas', () => {
    expect(pathFor(ROUTES.setParticipant, { id: 'm1', userId: 'u 1' })).toBe('/api/meetings/m1/participants/u%201');
    expect(() => pathFor(ROUTES.meeting)).toThrow(/no value for :id/);
    expect(matchRoute('GET', ['api', 'meetings', 'm1'])).toBe(ROUTES.meeting);
    expect(matchRoute('GET', ['api', 'meetings', 'not an id'])).toBeNull();
    expect(matchRoute('GET', ['api', 'blobs', 'a'.repeat(64)])).toBe(ROUTES.blob);
    expect(matchRoute('GET', ['api', 'blobs', 'x'.repeat(64)])).toBeNull();
    expect(matchRoute('POST', ['api', 'devices', 'orders', '7', 'ack'])).toBe(ROUTES.ackOrder);
  });

  it('parses a JSON body with the schema the table gives it', () => {
    const body = ROUTES.updateMeeting.body.schema;
    expect(body.safeParse({ status: 'published' }).success).toBe(true);
    expect(body.safeParse({ status: 'sideways' }).success).toBe(false);
    expect(body.safeParse({ surprise: 1 }).success).toBe(false);
    expect(z.array(ROUTES.meetings.response.element).safeParse([{ id: 'm1', title: 'T', startsAt: null, room: null, status: 'draft', myRole: null }]).success).toBe(true);
  });
});

describe('the agent forward allow-list', () => {
  const sample: Record<string, string> = { id: 'm1', userId: 'u1', speakerId: 's1', sha: 'a'.repeat(64), tracker: 'b'.repeat(64) };
  const concrete = (p: string) => p.replace(/:([A-Za-z]+)/g, (_m, n: string) => sample[n]!).replace('*', 'file.yml');

  it('forwards exactly the routes the table marks forward', () => {
    for (const r of ROUTE_LIST) {
      expect(isForwarded(r.method, concrete(r.path)), `${r.method} ${r.path}`).toBe(r.agent === 'forward');
    }
  });

  it('never forwards the device\'s own orders or the agent\'s own routes', () => {
    for (const r of [ROUTES.deviceOrders, ROUTES.ackOrder, ROUTES.signIn, ROUTES.blob, ROUTES.agentStatus]) {
      expect(r.agent).not.toBe('forward');
    }
  });
});
