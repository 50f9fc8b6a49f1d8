// The optional .docx/.odt → PDF conversion (electron/hub/convert.ts). LibreOffice is not on this
// machine, so the "installed" paths run a stand-in `soffice` script that behaves like it (writes
// <name>.pdf into --outdir, or hangs): they test the plumbing — detection on PATH, arguments,
// temp-dir clean-up, timeout — not LibreOffice itself.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertToPdf, findSoffice, INSTALL_HINT, officeKind } from '../../electron/hub/convert.ts';
import { HttpError } from '../../electron/core/http-common.ts';

const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64, 7)]);

function fakeSoffice(body: string): { bin: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-fake-soffice-'));
  const bin = path.join(dir, 'soffice');
  fs.writeFileSync(bin, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return { bin, dir };
}

const tempConvertDirs = () => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('chamber-convert-')).length;

describe('hub: word-processor conversion', () => {
  it('recognises the office types, by Content-Type or by name for octet-stream', () => {
    expect(officeKind('application/vnd.openxmlformats-officedocument.wordprocessingml.document', undefined)).toBe('docx');
    expect(officeKind('application/vnd.oasis.opendocument.text', 'x')).toBe('odt');
    expect(officeKind('application/octet-stream', 'Minutes.ODT')).toBe('odt');
    expect(officeKind('application/octet-stream', 'paper.pdf')).toBeNull();
    expect(officeKind('application/pdf', 'paper.docx')).toBeNull();
  });

  it('without LibreOffice answers 415 naming what to install', async () => {
    expect(findSoffice('/nonexistent:/also/not')).toBeNull();
    const err = await convertToPdf(zip, 'docx', { soffice: null }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(415);
    expect((err as HttpError).message).toBe(INSTALL_HINT);
    expect(INSTALL_HINT).toMatch(/install LibreOffice/);
  });

  it('refuses a body that is not a zip container before running anything', async () => {
    const err = await convertToPdf(Buffer.from('plain text'), 'odt', { soffice: '/bin/false' }).catch((e: unknown) => e);
    expect((err as HttpError).status).toBe(422);
  });

  it('finds soffice on PATH, converts in a temp dir and cleans it up', async () => {
    const { bin, dir } = fakeSoffice('for a; do last="$a"; case "$prev" in --outdir) out="$a";; esac; prev="$a"; done\nprintf "%%PDF-1.4 converted %s" "$(basename "$last")" > "$out/paper.pdf"');
    expect(findSoffice(`/nonexistent${path.delimiter}${dir}`)).toBe(bin);
    const before = tempConvertDirs();
    const pdf = await convertToPdf(zip, 'docx', { soffice: bin });
    expect(pdf.toString()).toBe('%PDF-1.4 converted paper.docx');
    expect(tempConvertDirs()).toBe(before);
  });

  it('gives up on a conversion that hangs (504) and reports one that fails (422)', async () => {
    const hang = fakeSoffice('exec sleep 30');
    const err = await convertToPdf(zip, 'docx', { soffice: hang.bin, timeoutMs: 300 }).catch((e: unknown) => e);
    expect((err as HttpError).status).toBe(504);
    const fail = fakeSoffice('echo "source file could not be loaded" >&2; exit 1');
    const err2 = await convertToPdf(zip, 'odt', { soffice: fail.bin }).catch((e: unknown) => e);
    expect((err2 as HttpError).status).toBe(422);
    expect((err2 as HttpError).message).toContain('source file could not be loaded');
  });
});
