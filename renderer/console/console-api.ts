// The console's changes through the hub API, built on the shared client (renderer/api.ts): each
// is a route of the table (shared/routes.ts), so paths, bodies, sessions, errors and answer
// validation are the same as everywhere else. Uploads go through XMLHttpRequest because fetch()
// reports no upload progress.
import { OFFICE_MEDIA_TYPES, ROUTES } from '../../shared/routes.ts';
import type { MeetingRole } from '../../shared/roles.ts';
import { errorText } from '../i18n/error-text.ts';
import type { Translate } from '../i18n/index.tsx';
import { ApiError, prepareRequest, readAnswer, type AnswerOf, type Api, type RequestOf } from '../api.ts';

type BodyOf<D extends keyof typeof ROUTES> = RequestOf<(typeof ROUTES)[D]>['body'];

export function createMeeting(api: Api, body: BodyOf<'createMeeting'>) {
  return api.call(ROUTES.createMeeting, { body });
}

export function updateMeeting(api: Api, id: string, body: BodyOf<'updateMeeting'>) {
  return api.call(ROUTES.updateMeeting, { params: { id }, body });
}

export function setParticipant(api: Api, meetingId: string, userId: string, role: MeetingRole) {
  return api.call(ROUTES.setParticipant, { params: { id: meetingId, userId }, body: { role } });
}

export function removeParticipant(api: Api, meetingId: string, userId: string): Promise<void> {
  return api.call(ROUTES.removeParticipant, { params: { id: meetingId, userId } });
}

export function patchPaper(api: Api, paperId: string, body: BodyOf<'updatePaper'>) {
  return api.call(ROUTES.updatePaper, { params: { id: paperId }, body });
}

export function deletePaper(api: Api, paperId: string): Promise<void> {
  return api.call(ROUTES.removePaper, { params: { id: paperId } });
}

/** The meeting's staged papers (its managers only; always from the hub, never a device's cache). */
export function stagedPapers(api: Api, meetingId: string) {
  return api.call(ROUTES.stagedPapers, { params: { id: meetingId } });
}

/** Releases a staged paper with what was settled for it: from then on it is in the meeting for its readers. */
export function releasePaper(api: Api, paperId: string, body: BodyOf<'releasePaper'>) {
  return api.call(ROUTES.releasePaper, { params: { id: paperId }, body });
}

export function handPresenter(api: Api, meetingId: string, userId: string | null) {
  return api.call(ROUTES.handPresenter, { params: { id: meetingId }, body: { userId } });
}

export type UploadKind = 'pdf' | 'docx' | 'odt';

/** The media type each kind is sent as; the table's upload route lists what it takes. */
const MEDIA_TYPES: Record<UploadKind, 'application/pdf' | (typeof OFFICE_MEDIA_TYPES)[number]> = {
  pdf: 'application/pdf',
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
  /** Staged: only the meeting's managers see the paper until it is released. */
  stage?: boolean;
  onProgress?: (fraction: number) => void;
}

export type UploadResponse = AnswerOf<typeof ROUTES.upload>;

export interface UploadHandle {
  promise: Promise<UploadResponse>;
  abort: () => void;
}

export function uploadPaper(api: Api, req: UploadRequest): UploadHandle {
  const xhr = new XMLHttpRequest();
  // A request the table's schemas refuse (a title too long) rejects the promise before sending.
  const promise = new Promise<UploadResponse>((resolve, reject) => {
    const { method, url } = prepareRequest(ROUTES.upload, {
      params: { id: req.meetingId },
      query: {
        title: req.title || undefined,
        fileName: req.file.name.slice(0, 300),
        replace: req.replace || undefined,
        restrictTo: req.restrictTo?.length ? req.restrictTo.join(',') : undefined,
        stage: req.stage ? '1' : undefined,
      },
    });
    xhr.open(method, url);
    xhr.setRequestHeader('Authorization', `Bearer ${api.token}`);
    xhr.setRequestHeader('Content-Type', MEDIA_TYPES[req.kind]);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) req.onProgress?.(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'unreachable', 'the hub cannot be reached'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'upload cancelled'));
    xhr.onload = () => {
      try {
        const answer = readAnswer(ROUTES.upload, xhr.status, xhr.responseText);
        req.onProgress?.(1);
        resolve(answer);
      } catch (err) {
        reject(err as Error);
      }
    };
    xhr.send(req.file);
  });
  return { promise, abort: () => xhr.abort() };
}

// The console words errors as the rest of the interface does: by the hub's code, in the reader's language.
export { errorText } from '../i18n/error-text.ts';

/** What a console action that failed shows: "the hub cannot be reached", or the hub's reason. */
export function actionError(t: Translate, err: unknown): string {
  return err instanceof ApiError && err.unreachable ? t('console.error.offline') : t('console.error.generic', { msg: errorText(t, err) });
}
