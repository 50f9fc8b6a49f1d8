// Where the meeting panel (procedures, live controls, agenda, papers) goes while a paper is open:
// wide windows show it beside the paper and can hide it (remembered on the device) so the paper
// takes the whole width; narrow ones (tablet portrait) give the paper the screen and open the
// panel as a drawer over it. The button for either sits in the top bar (layout.ts's slot), the
// one place that stays put whatever the reader does. With no paper open the panel just shows.
import { useCallback, useRef, useState, type HTMLAttributes, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useT } from '../i18n/index.tsx';
import { Icon } from '../ui/icons.tsx';
import { drawerKeyDown, useDrawerFocus } from '../ui/drawer.ts';
import { useNarrow, usePanelHidden, useTopBarSlot } from './layout.ts';

export const PANEL_ID = 'meeting-panel';

export interface MeetingPanelLayout {
  /** Classes for the meeting's grid: `panel-hidden`, `drawer`, `drawer-open`. */
  className: string;
  asideProps: HTMLAttributes<HTMLElement> & { ref: React.RefObject<HTMLElement | null> };
  /** The drawer's own close button (only while it is a drawer), first in the panel. */
  closeButton: ReactNode;
  /** The top bar's button and the drawer's backdrop; render anywhere in the meeting view. */
  outside: ReactNode;
  /** Closes the drawer (after choosing a paper or going to the presented one). */
  closeDrawer: () => void;
}

export function useMeetingPanel(paperOpen: boolean, title: string): MeetingPanelLayout {
  const t = useT();
  const narrow = useNarrow();
  const [hidden, setHidden] = usePanelHidden();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const ref = useRef<HTMLElement | null>(null);
  const slot = useTopBarSlot();
  const drawer = narrow && paperOpen;
  // Once the panel is no drawer (turned to landscape, the paper closed), an open drawer is over:
  // turning back must not bring it over the paper again by itself.
  const [wasDrawer, setWasDrawer] = useState(drawer);
  if (wasDrawer !== drawer) {
    setWasDrawer(drawer);
    if (!drawer) setDrawerOpen(false);
  }
  const isOpen = drawer && drawerOpen;
  const closeDrawer = useCallback(() => setDrawerOpen(false), []);
  useDrawerFocus(ref, isOpen);

  let button: ReactNode = null;
  if (drawer) {
    button = (
      <button type="button" className="panel-toggle with-label" aria-expanded={isOpen} aria-controls={PANEL_ID} onClick={() => setDrawerOpen((o) => !o)}>
        <Icon name="agenda" />
        <span>{t('layout.meeting')}</span>
      </button>
    );
  } else if (paperOpen) {
    const label = hidden ? t('layout.showPanel') : t('layout.hidePanel');
    button = (
      <button type="button" className="panel-toggle" aria-expanded={!hidden} aria-controls={PANEL_ID} aria-label={label} title={label} onClick={() => setHidden(!hidden)}>
        <Icon name="sidebar" />
      </button>
    );
  }

  const asideProps: MeetingPanelLayout['asideProps'] = drawer
    ? {
      ref,
      id: PANEL_ID,
      role: 'dialog',
      'aria-modal': isOpen ? true : undefined,
      'aria-label': title || t('layout.meetingPanel'),
      hidden: !isOpen,
      onKeyDown: (e) => drawerKeyDown(e, closeDrawer),
    }
    : { ref, id: PANEL_ID, 'aria-label': title || t('layout.meetingPanel'), hidden: paperOpen && hidden };

  return {
    className: drawer ? (isOpen ? ' drawer drawer-open' : ' drawer') : paperOpen && hidden ? ' panel-hidden' : '',
    asideProps,
    closeButton: isOpen ? (
      <button type="button" className="drawer-close with-label" data-drawer-initial onClick={closeDrawer}>
        <Icon name="close" />
        <span>{t('layout.closePanel')}</span>
      </button>
    ) : null,
    outside: (
      <>
        {slot && button && createPortal(button, slot)}
        {isOpen && <div className="drawer-backdrop" aria-hidden="true" onClick={closeDrawer} />}
      </>
    ),
    closeDrawer,
  };
}
