// Registers a hub route from its entry in the route table (shared/routes.ts): the table decides
// the body limit, the media types, who may call it and the schemas; the handler gets the parsed
// params, query and body, typed from the same entry. Everything that needs only the request line
// and headers (params, query, who) is decided before a byte of the body is read.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { forbidden, parseOr400, unauthorized } from '../core/http-common.ts';
import { bodyLimitOf, mediaTypesOf, type BodyOf, type ParamsOf, type ParticipantRule, type QueryOf, type ResponseOf, type RouteDef } from '../../shared/routes.ts';
import type { Account } from './access.ts';
import type { z } from 'zod';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The table entry the route was registered from (the request guard reads its body kind). */
    route?: RouteDef;
  }
}

export interface RouteInput<D extends RouteDef> {
  params: ParamsOf<D>;
  query: QueryOf<D>;
  body: BodyOf<D>;
}

export interface RouteContext<D extends RouteDef> extends RouteInput<D> {
  req: FastifyRequest;
  reply: FastifyReply;
  /** The caller; routes open to `anyone` get null. */
  account: D['who'] extends 'anyone' ? null : Account;
}

/** A participant rule's check: throws the 404 or 403 for a caller it refuses. */
export interface RuleCheck {
  check(account: Account, input: RouteInput<RouteDef>, def: RouteDef): void;
  /** The rule reads the JSON body (the meeting a wipe order names), so it runs once that is parsed. */
  readsBody?: boolean;
}
export type Rules = Record<ParticipantRule, RuleCheck>;

/**
 * Runs on every route after its own rule and before its handler; throws to refuse (the archive's
 * lock on closed meetings, electron/hub/archive/lock.ts). Before the body is read where the rule is.
 */
export type Guard = (account: Account | null, input: RouteInput<RouteDef>, def: RouteDef) => void;

export type Handler<D extends RouteDef> = (ctx: RouteContext<D>) => Promise<ResponseOf<D> | FastifyReply>;
export type Router = <D extends RouteDef>(def: D, handler: Handler<D>) => void;

interface Parsed {
  params?: unknown;
  query?: unknown;
}
const parsedInput = new WeakMap<FastifyRequest, Parsed>();

function parseParams(def: RouteDef, raw: unknown): unknown {
  if (!def.params) return undefined;
  const values = raw as Record<string, unknown>;
  // One parameter at a time, each named in its error ("invalid meeting id: ...").
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(def.params.shape as Record<string, z.ZodType>)) {
    out[name] = parseOr400(schema, values[name], schema.description ?? name);
  }
  return out;
}

/** A router over one Fastify app: `route(ROUTES.x, handler)`. */
export function createRouter(app: FastifyInstance, rules: Rules, guard?: Guard): Router {
  return (def, handler) => {
    if (def.servedBy !== 'hub' || def.plugin) throw new Error(`${def.method} ${def.path} is not a hub handler route`);
    const rule = typeof def.who === 'string' && def.who in rules ? rules[def.who as ParticipantRule] : null;
    const ruleAfterBody = rule?.readsBody === true && def.body.kind === 'json';
    const caller = (req: FastifyRequest): Account | null => {
      if (def.who === 'anyone') return null;
      if (!req.account) throw unauthorized();
      return req.account;
    };
    app.route({
      method: def.method,
      url: def.path,
      bodyLimit: bodyLimitOf(def),
      config: { route: def, anonymous: def.who === 'anyone', accepts: mediaTypesOf(def) },
      onRequest: async (req) => {
        const account = caller(req);
        if (account && Array.isArray(def.who) && !def.who.includes(account.role)) throw forbidden(def.deny);
        const params = parseParams(def, req.params);
        const query = def.query ? parseOr400(def.query, req.query, def.query.description ?? 'query') : undefined;
        parsedInput.set(req, { params, query });
        if (rule && account && !ruleAfterBody) rule.check(account, { params, query, body: undefined } as RouteInput<RouteDef>, def);
        if (!ruleAfterBody) guard?.(account, { params, query, body: undefined } as RouteInput<RouteDef>, def);
      },
      handler: async (req, reply) => {
        const account = caller(req);
        const { params, query } = parsedInput.get(req) ?? {};
        const body = def.body.kind === 'json' ? parseOr400(def.body.schema, req.body, def.body.what) : def.body.kind === 'paper' ? req.body : undefined;
        const input = { params, query, body } as RouteInput<typeof def>;
        if (rule && account && ruleAfterBody) rule.check(account, input as RouteInput<RouteDef>, def);
        if (ruleAfterBody) guard?.(account, input as RouteInput<RouteDef>, def);
        const out = await handler({ ...input, req, reply, account } as RouteContext<typeof def>);
        if (out === reply) return reply;
        if (def.status === 204) return reply.status(204).send();
        return reply.status(def.status ?? 200).send(out);
      },
    });
  };
}
