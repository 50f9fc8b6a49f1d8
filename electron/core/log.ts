// One structured logger for every Node process (hub, agent, shell): pino, which Fastify already
// carries, created once per subsystem with levels and redaction. Modules keep taking the narrow
// `Log` function (message, fields) as a parameter, so tests pass a recorder or a no-op and no
// module reaches for a global logger.
import pino, { type Logger, type LevelWithSilent } from 'pino';

/** What modules take: a message and structured fields. */
export type Log = (msg: string, extra?: Record<string, unknown>) => void;

/** A no-op, for `--quiet` and for tests that do not read the log. */
export const silentLog: Log = () => {};

/**
 * Field paths whose values never reach a log line: session tokens, passwords, password
 * verifiers, cache keys and authorisation headers, at the top level or one object down.
 */
export const REDACTED_PATHS = [
  'token', 'password', 'pw_hash', 'pwHash', 'verifier', 'key', 'cacheKey', 'authorization', 'cookie',
  '*.token', '*.password', '*.pw_hash', '*.pwHash', '*.verifier', '*.key', '*.cacheKey', '*.authorization', '*.cookie',
  'req.headers.authorization', 'req.headers.cookie',
];

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Where lines go; standard output by default (a test passes a stream it reads). */
  destination?: pino.DestinationStream;
}

/** A pino logger for one subsystem (`hub`, `agent`, `shell`), every line tagged with it. */
export function createLogger(subsystem: string, opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? (process.env.CHAMBER_LOG_LEVEL as LevelWithSilent | undefined) ?? 'info';
  return pino({
    level,
    base: { subsystem },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  }, opts.destination);
}

/**
 * The `Log` function modules take, backed by a pino logger: lines whose fields carry an `error`
 * are logged at warn level, the rest at info.
 */
export function logFunction(logger: Logger): Log {
  return (msg, extra) => {
    if (extra && 'error' in extra) logger.warn(extra, msg);
    else logger.info(extra ?? {}, msg);
  };
}
