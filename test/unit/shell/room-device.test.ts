import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EnrolmentError, deviceConfigPath, enrolDevice, readDeviceConfig } from '../../../electron/shell/device-config.ts';
import { KeepAwake, enforceSingleInstance, type PowerSaveBlockerLike } from '../../../electron/shell/room-policy.ts';
import { executeWipe, type WipeDeps } from '../../../electron/shell/wipe.ts';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-device-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('device enrolment', () => {
  it('is written once and read back', () => {
    const file = path.join(dir, 'etc', 'device.json');
    expect(readDeviceConfig(file)).toMatchObject({ ok: false, problem: 'missing' });
    enrolDevice(file, { hubUrl: 'https://hub.room-3.example/', deviceName: 'Tablet 07', kiosk: true }, { now: new Date('2030-01-01T00:00:00Z') });
    expect(readDeviceConfig(file)).toEqual({ ok: true, config: { version: 1, hubUrl: 'https://hub.room-3.example', deviceName: 'Tablet 07', kiosk: true, keepAwake: true, enrolledAt: '2030-01-01T00:00:00.000Z' } });
    expect(() => enrolDevice(file, { hubUrl: 'https://other.example', deviceName: 'x' })).toThrow(/already exists/);
    enrolDevice(file, { hubUrl: 'https://other.example', deviceName: 'x' }, { replace: true });
    expect(readDeviceConfig(file)).toMatchObject({ ok: true, config: { hubUrl: 'https://other.example' } });
  });

  it('rejects bad hub addresses and unknown fields', () => {
    const file = path.join(dir, 'device.json');
    for (const hubUrl of ['ftp://hub', 'https://user:pw@hub', 'https://hub/?x=1', 'javascript:alert(1)', 'hub.local']) {
      expect(() => enrolDevice(file, { hubUrl, deviceName: 't' }), hubUrl).toThrow(EnrolmentError);
    }
    fs.writeFileSync(file, JSON.stringify({ version: 1, hubUrl: 'https://hub', deviceName: 't', enrolledAt: '2030-01-01T00:00:00Z', devTools: true }));
    expect(readDeviceConfig(file)).toMatchObject({ ok: false, problem: 'invalid', message: expect.stringMatching(/devTools|unrecognized/i) });
    fs.writeFileSync(file, '{ not json');
    expect(readDeviceConfig(file)).toMatchObject({ ok: false, problem: 'invalid' });
  });

  it('lives in an administrator-owned place', () => {
    expect(deviceConfigPath('linux', {})).toBe('/etc/chamber/device.json');
    expect(deviceConfigPath('win32', { ProgramData: 'D:\\PD' })).toBe('D:\\PD\\Chamber\\device.json');
    expect(deviceConfigPath('darwin', {})).toBe('/Library/Application Support/Chamber/device.json');
  });
});

describe('room policy', () => {
  it('keeps the display awake only while a meeting is live and enabled', () => {
    const started = new Set<number>();
    let next = 1;
    const blocker: PowerSaveBlockerLike = {
      start: (type) => { expect(type).toBe('prevent-display-sleep'); started.add(next); return next++; },
      stop: (id) => started.delete(id),
      isStarted: (id) => started.has(id),
    };
    const k = new KeepAwake(blocker, true);
    k.setLive(true);
    k.setLive(true);
    expect(started.size).toBe(1);
    expect(k.active).toBe(true);
    k.setLive(false);
    expect(started.size).toBe(0);
    const off = new KeepAwake(blocker, false);
    off.setLive(true);
    expect(off.active).toBe(false);
  });

  it('a second instance quits and focuses the first', () => {
    const calls: string[] = [];
    let onSecond: (() => void) | null = null;
    const app = (lock: boolean) => ({
      requestSingleInstanceLock: () => lock,
      on: (_e: 'second-instance', l: () => void) => { onSecond = l; },
      quit: () => calls.push('quit'),
    });
    expect(enforceSingleInstance(app(false), () => calls.push('focus'))).toBe(false);
    expect(calls).toEqual(['quit']);
    expect(enforceSingleInstance(app(true), () => calls.push('focus'))).toBe(true);
    onSecond!();
    expect(calls).toEqual(['quit', 'focus']);
  });
});

describe('wipe orders', () => {
  function deps(withPurge: boolean): WipeDeps & { calls: string[] } {
    const calls: string[] = [];
    return {
      calls,
      wipeMeeting: withPurge ? async (id) => { calls.push(`purge ${id}`); } : undefined,
      stopAgent: async () => { calls.push('stop'); },
      startAgent: async () => { calls.push('start'); },
      forgetCacheKey: () => calls.push('forget key'),
      deleteCache: () => calls.push('delete cache'),
      clearRendererStorage: async () => { calls.push('clear renderer'); },
    };
  }

  it('purges one meeting when the agent can', async () => {
    const d = deps(true);
    expect(await executeWipe({ kind: 'wipe-meeting', meetingId: 'm1' }, d)).toMatchObject({ ok: true });
    expect(d.calls).toEqual(['purge m1', 'clear renderer']);
  });

  it('otherwise shreds the key before the files, and restarts for a meeting wipe', async () => {
    const d = deps(false);
    await executeWipe({ kind: 'wipe-meeting', meetingId: 'm1' }, d);
    expect(d.calls).toEqual(['stop', 'forget key', 'delete cache', 'clear renderer', 'start']);
    const all = deps(true);
    await executeWipe({ kind: 'wipe-device' }, all);
    expect(all.calls).toEqual(['stop', 'forget key', 'delete cache', 'clear renderer']);
  });

  it('ignores malformed orders', async () => {
    for (const bad of [null, 'wipe', { kind: 'wipe-meeting' }, { kind: 'wipe-meeting', meetingId: '../x' }, { kind: 'wipe-device', extra: 1 }, { kind: 'format-disk' }]) {
      const d = deps(true);
      expect((await executeWipe(bad, d)).ok).toBe(false);
      expect(d.calls).toEqual([]);
    }
  });
});
