// The device's enrolment: which hub it belongs to and how the room runs it. IT writes it once,
// with administrator rights, to a system-wide file the signed-in user cannot modify; the app
// only reads it. Nothing in the page can change the hub address.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const hubUrlSchema = z.string().max(2048).refine((raw) => {
  try {
    const u = new URL(raw);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password && !u.search && !u.hash && u.hostname !== '';
  } catch {
    return false;
  }
}, 'hubUrl must be an http(s) URL without credentials, query or fragment');

export const deviceConfigSchema = z.strictObject({
  version: z.literal(1),
  hubUrl: hubUrlSchema,
  deviceName: z.string().min(1).max(64).regex(/^[\p{L}\p{N} ._-]+$/u, 'deviceName may hold letters, digits, space, dot, underscore and dash'),
  /** Full screen, no window controls; the delegate cannot leave the app. */
  kiosk: z.boolean().default(false),
  /** Keep the display on while a meeting is live. */
  keepAwake: z.boolean().default(true),
  enrolledAt: z.iso.datetime(),
  enrolledBy: z.string().max(128).optional(),
});
export type DeviceConfig = z.infer<typeof deviceConfigSchema>;

/** System-wide, administrator-owned locations; a user-writable override would defeat the point. */
export function deviceConfigPath(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (platform === 'win32') return path.win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Chamber', 'device.json');
  if (platform === 'darwin') return '/Library/Application Support/Chamber/device.json';
  return '/etc/chamber/device.json';
}

export type DeviceConfigResult =
  | { ok: true; config: DeviceConfig }
  | { ok: false; problem: 'missing' | 'invalid'; message: string };

export function readDeviceConfig(file: string): DeviceConfigResult {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    return { ok: false, problem: 'missing', message: `this device is not enrolled: ${file} does not exist (see docs/operations.md, "Enrol a device")` };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    return { ok: false, problem: 'invalid', message: `${file} is not valid JSON: ${(err as Error).message}` };
  }
  const parsed = deviceConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { ok: false, problem: 'invalid', message: `${file} is not a valid device configuration: ${issues}` };
  }
  return { ok: true, config: parsed.data };
}

export interface EnrolInput {
  hubUrl: string;
  deviceName: string;
  kiosk?: boolean;
  keepAwake?: boolean;
  enrolledBy?: string;
}

export class EnrolmentError extends Error {
  override name = 'EnrolmentError';
}

/**
 * Writes the enrolment. Refuses to overwrite an existing one unless `replace` is set, so a
 * second run by mistake cannot silently move a tablet to another hub.
 */
export function enrolDevice(file: string, input: EnrolInput, opts: { replace?: boolean; now?: Date } = {}): DeviceConfig {
  if (fs.existsSync(file) && !opts.replace) {
    throw new EnrolmentError(`${file} already exists: this device is enrolled; pass --replace to enrol it again`);
  }
  const parsed = deviceConfigSchema.safeParse({
    version: 1,
    hubUrl: input.hubUrl.replace(/\/+$/, ''),
    deviceName: input.deviceName,
    kiosk: input.kiosk ?? false,
    keepAwake: input.keepAwake ?? true,
    enrolledAt: (opts.now ?? new Date()).toISOString(),
    ...(input.enrolledBy ? { enrolledBy: input.enrolledBy } : {}),
  });
  if (!parsed.success) {
    throw new EnrolmentError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  // World-readable (the app runs as the user), writable by the administrator who runs this.
  fs.writeFileSync(tmp, `${JSON.stringify(parsed.data, null, 2)}\n`, { mode: 0o644 });
  fs.renameSync(tmp, file);
  return parsed.data;
}

/**
 * The configuration a run uses: the enrolment; or, in development runs only (npm start, never a
 * packaged build), the hub given on the command line, checked like an enrolment.
 */
export function configForRun(enrolled: DeviceConfigResult, dev: { isPackaged: boolean; hub?: unknown; kiosk?: boolean; now?: Date }): DeviceConfigResult {
  if (enrolled.ok || dev.isPackaged || typeof dev.hub !== 'string') return enrolled;
  const parsed = deviceConfigSchema.safeParse({
    version: 1,
    hubUrl: dev.hub.replace(/\/+$/, ''),
    deviceName: 'development',
    kiosk: Boolean(dev.kiosk),
    keepAwake: true,
    enrolledAt: (dev.now ?? new Date()).toISOString(),
  });
  if (!parsed.success) return { ok: false, problem: 'invalid', message: `--hub ${dev.hub}: ${parsed.error.issues.map((i) => i.message).join('; ')}` };
  return { ok: true, config: parsed.data };
}
