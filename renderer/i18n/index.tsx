// The one i18n layer, for the delegate view and the console alike: every visible string goes
// through `t`. Messages are ICU MessageFormat, formatted by intl-messageformat (plural rules from
// the platform's Intl.PluralRules), so '{n, plural, one {# paper} other {# papers}}' is right in
// English and in Vietnamese (which has one form). The locale follows the system
// (navigator.languages) until the user picks one, which is remembered on this device.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { IntlMessageFormat } from 'intl-messageformat';
import { en, type MessageKey } from './en.ts';
import { vi } from './vi.ts';

export const LOCALES = ['en', 'vi'] as const;
export type Locale = (typeof LOCALES)[number];
export type { MessageKey };
export type MessageValues = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: MessageValues) => string;

export const catalogues: Record<Locale, Record<MessageKey, string>> = { en, vi };
const STORAGE_KEY = 'chamber.locale';

export function detectLocale(languages: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language]): Locale {
  for (const lang of languages) {
    const base = lang.toLowerCase().split('-')[0];
    if ((LOCALES as readonly string[]).includes(base ?? '')) return base as Locale;
  }
  return 'en';
}

// A message is parsed once per locale and then only formatted (a page turn formats a few).
const compiled = new Map<string, IntlMessageFormat>();

export function translate(locale: Locale, key: MessageKey, vars?: MessageValues): string {
  const template = catalogues[locale][key] ?? en[key] ?? key;
  // Most messages are plain text: no parser, no formatter.
  if (!template.includes('{')) return template;
  const id = `${locale}\u0000${key}`;
  let format = compiled.get(id);
  if (!format) compiled.set(id, (format = new IntlMessageFormat(template, locale)));
  try {
    return String(format.format(vars ?? {}));
  } catch {
    // A value the message needs is missing: show the message rather than break the screen.
    return template;
  }
}

interface I18n {
  locale: Locale;
  setLocale: (l: Locale) => void;
  t: Translate;
}

const I18nContext = createContext<I18n>({ locale: 'en', setLocale: () => {}, t: (k, v) => translate('en', k, v) });

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && (LOCALES as readonly string[]).includes(saved)) return saved as Locale;
  } catch {
    /* storage may be disabled */
  }
  return detectLocale();
}

export function I18nProvider({ children, locale: fixed }: { children: ReactNode; locale?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(() => fixed ?? initialLocale());
  const setLocale = useCallback((l: Locale) => {
    setLocaleState(l);
    document.documentElement.lang = l;
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* not remembered, still switched */
    }
  }, []);
  // Screen readers read the page's language (also the first one, which no switch set).
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18n>(() => ({ locale, setLocale, t: (k, v) => translate(locale, k, v) }), [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = (): I18n => useContext(I18nContext);
export const useT = (): Translate => useContext(I18nContext).t;

/** A date and time in `locale` (the input itself if it is no date). */
export function formatDate(iso: string, locale: Locale): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

export function LocaleSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <label className="locale-switch">
      <span className="visually-hidden">{t('lang.label')}</span>
      <select aria-label={t('lang.label')} value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
        <option value="en" lang="en">English</option>
        <option value="vi" lang="vi">Tiếng Việt</option>
      </select>
    </label>
  );
}
