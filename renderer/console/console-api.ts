// The console's changes through the hub API, built on the shared client (renderer/api.ts) so sessions,
// errors and validation behave as everywhere else. Answers are validated with zod before use.
// Uploads go through XMLHttpRequest because fetch() reports no upload progress.
import { z } from 'zod';
import {
  errorResponseSchema, meetingSummarySchema, paperSchema, participantSchema, uploadResponseSchema,
  type MeetingSummary, type PaperInfo, type UploadResponse,
} from '../../shared/api.ts';
import type { MeetingRole } from '../../shared/roles.ts';
import { ApiError, apiUrl, type Api } from '../api.ts';

const enc = encodeURIComponent;
const participantsSchema = z.array(participantSchema.extend({ name: z.string(), login: z.string() }));

export function createMeeting(api: Api, body: { title: string; startsAt?: string | null; room?: string | null }): Promise<MeetingSummary> {
  return api.send('POST', '/api/meetings', body, meetingSummarySchema);
}

export function updateMeeting(api: Api, id: string, body: { title?: string; startsAt?: string | null; room?: string | null; status?: MeetingSummary['status'] }): Promise<MeetingSummary> {
  return api.send('PATCH', `/api/meetings/${enc(id)}`, body, meetingSummarySchema);
}

export function setParticipant(api: Api, meetingId: string, userId: string, role: MeetingRole) {
  return api.send('PUT', `/api/meetings/${enc(meetingId)}/participants/${enc(userId)}`, { role }, participantsSchema);
}

export function removeParticipant(api: Api, meetingId: string, userId: string): Promise<void> {
  return api.send('DELETE', `/api/meetings/${enc(meetingId)}/participants/${enc(userId)}`, undefined, null);
}

export function patchPaper(api: Api, paperId: string, body: { title?: string; restrictTo?: string[] | null }): Promise<PaperInfo> {
  return api.send('PATCH', `/api/papers/${enc(paperId)}`, body, paperSchema);
}

export function deletePaper(api: Api, paperId: string): Promise<void> {
  return api.send('DELETE', `/api/papers/${enc(paperId)}`, undefined, null);
}

export function handPresenter(api: Api, meetingId: string, userId: string | null) {
  return api.send('PUT', `/api/meetings/${enc(meetingId)}/presenter`, { userId }, z.object({ presenterId: z.string().nullable() }));
}

export type UploadKind = 'pdf' | 'docx' | 'odt';

const OFFICE_TYPES: Record<Exclude<UploadKind, 'pdf'>, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
};

/**
 * What a file is, from its first bytes (a PDF starts with %PDF- within its first KiB) and, for
 * the zip-based office formats, its extension. null: not something the hub can take.
 */
export async function sniffUpload(file: Blob & { name: string }): Promise<UploadKind | null> {
  const head = new Uint8Array(await file.slice(0, 1024).arrayBuffer());
  const text = String.fromCharCode(...head);
  if (text.includes('%PDF-')) return 'pdf';
  const isZip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  const ext = file.name.toLowerCase().split('.').pop();
  if (isZip && (ext === 'docx' || ext === 'odt')) return ext;
  return null;
}

export interface UploadRequest {
  meetingId: string;
  file: Blob & { name: string };
  kind: UploadKind;
  title?: string;
  replace?: string;
  restrictTo?: string[];
  onProgress?: (fraction: number) => void;
}

export interface UploadHandle {
  promise: Promise<UploadResponse>;
  abort: () => void;
}

export function uploadPaper(api: Api, req: UploadRequest): UploadHandle {
  const q = new URLSearchParams();
  if (req.title) q.set('title', req.title);
  q.set('fileName', req.file.name.slice(0, 300));
  if (req.replace) q.set('replace', req.replace);
  if (req.restrictTo?.length) q.set('restrictTo', req.restrictTo.join(','));
  const xhr = new XMLHttpRequest();
  const promise = new Promise<UploadResponse>((resolve, reject) => {
    xhr.open('POST', apiUrl(`/api/meetings/${enc(req.meetingId)}/documents?${q}`));
    xhr.setRequestHeader('Authorization', `Bearer ${api.token}`);
    xhr.setRequestHeader('Content-Type', req.kind === 'pdf' ? 'application/pdf' : OFFICE_TYPES[req.kind]);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) req.onProgress?.(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'unreachable', 'the hub cannot be reached'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'upload cancelled'));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status < 200 || xhr.status >= 300) {
        const err = errorResponseSchema.safeParse(body);
        reject(new ApiError(xhr.status, err.success ? err.data.error : 'http_error', err.success ? err.data.message : `HTTP ${xhr.status}`));
        return;
      }
      const ok = uploadResponseSchema.safeParse(body);
      if (ok.success) {
        req.onProgress?.(1);
        resolve(ok.data);
      } else reject(new ApiError(xhr.status, 'bad_response', 'unexpected answer to the upload'));
    };
    xhr.send(req.file);
  });
  return { promise, abort: () => xhr.abort() };
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
