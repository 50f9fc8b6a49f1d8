// The details the secretary sets while the minutes are a draft (shared/minutes.ts
// minutesFieldsSchema): the layout, the masthead, the number's suffix, the place and subject, the
// guests and other matters. Remounted with each new revision of the minutes (its parent keys it
// by `rev`), so it always starts from what the hub holds.
import { useState, type FormEvent } from 'react';
import type { MinutesFields as Fields, PutMinutes } from '../../shared/minutes.ts';
import { useT } from '../i18n/index.tsx';

const guestsText = (g: Fields['guests']) => g.map((x) => (x.position ? `${x.name}, ${x.position}` : x.name)).join('\n');
const guestsOf = (text: string): Fields['guests'] => text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
  const at = l.indexOf(',');
  return at < 0 ? { name: l, position: '' } : { name: l.slice(0, at).trim(), position: l.slice(at + 1).trim() };
});

export function MinutesFields({ fields, editable, busy, onStore }: {
  fields: Fields;
  editable: boolean;
  busy: boolean;
  onStore: (patch: PutMinutes) => void;
}) {
  const t = useT();
  const [f, setF] = useState(fields);
  const [guests, setGuests] = useState(() => guestsText(fields.guests));
  const [number, setNumber] = useState(fields.number === null ? '' : String(fields.number));
  const set = <K extends keyof Fields>(k: K, v: Fields[K]) => setF((prev) => ({ ...prev, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = Number.parseInt(number, 10);
    onStore({
      variant: f.variant, orgParent: f.orgParent, orgName: f.orgName, numberSuffix: f.numberSuffix, place: f.place,
      location: f.location, content: f.content, notes: f.notes, guests: guestsOf(guests), number: number.trim() && Number.isFinite(n) ? n : null,
    });
  };
  const text = (k: 'orgParent' | 'orgName' | 'numberSuffix' | 'place' | 'location', label: string, max: number) => (
    <label>{label}<input value={f[k]} maxLength={max} disabled={!editable} onChange={(e) => set(k, e.target.value)} /></label>
  );
  return (
    <form className="ce-form mn-fields" aria-label={t('min.fields')} onSubmit={submit}>
      <h4>{t('min.fields')}</h4>
      {!editable && <p className="small muted">{t('min.fieldsLocked')}</p>}
      <label>{t('min.f.variant')}
        <select value={f.variant} disabled={!editable} onChange={(e) => set('variant', e.target.value === 'state' ? 'state' : 'party')}>
          <option value="party">{t('min.variant.party')}</option>
          <option value="state">{t('min.variant.state')}</option>
        </select>
      </label>
      {text('orgParent', t('min.f.orgParent'), 200)}
      {text('orgName', t('min.f.orgName'), 200)}
      <div className="ce-form-row">
        <span className="grow">{text('numberSuffix', t('min.f.numberSuffix'), 40)}</span>
        <label className="grow">{t('min.f.number')}
          <input inputMode="numeric" pattern="[0-9]*" value={number} disabled={!editable} onChange={(e) => setNumber(e.target.value.replace(/\D/g, ''))} />
        </label>
      </div>
      {text('place', t('min.f.place'), 100)}
      {text('location', t('min.f.location'), 300)}
      <label>{t('min.f.content')}<textarea rows={2} value={f.content} maxLength={5_000} disabled={!editable} onChange={(e) => set('content', e.target.value)} /></label>
      <label>{t('min.f.guests')}<textarea rows={2} value={guests} disabled={!editable} onChange={(e) => setGuests(e.target.value)} /></label>
      <label>{t('min.f.notes')}<textarea rows={3} value={f.notes} maxLength={20_000} disabled={!editable} onChange={(e) => set('notes', e.target.value)} /></label>
      {editable && <div className="ce-form-actions"><button type="submit" className="primary" disabled={busy}>{t('min.store')}</button></div>}
    </form>
  );
}
