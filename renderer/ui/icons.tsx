// The interface's icon set: one stroke style (24-unit grid, 2-unit round strokes in the text's
// colour), drawn for Chamber. An icon never stands alone: it sits beside a text label (or is
// named by its button's aria-label), so it is always hidden from assistive technology.
import type { ReactElement } from 'react';

const PATHS = {
  back: 'M19 12H5M11 6l-6 6 6 6',
  close: 'M6 6l12 12M18 6L6 18',
  prev: 'M15 6l-6 6 6 6',
  next: 'M9 6l6 6-6 6',
  up: 'M6 15l6-6 6 6',
  down: 'M6 9l6 6 6-6',
  zoomIn: 'M15.5 15.5L20 20M11 8v6M8 11h6M17 11a6 6 0 1 1-12 0 6 6 0 0 1 12 0z',
  zoomOut: 'M15.5 15.5L20 20M8 11h6M17 11a6 6 0 1 1-12 0 6 6 0 0 1 12 0z',
  rotate: 'M20 12a8 8 0 1 1-2.3-5.7M20 4v4h-4',
  thumbnails: 'M4 4h6v6H4zM14 4h6v6h-6zM4 14h6v6H4zM14 14h6v6h-6z',
  outline: 'M9 6h11M9 12h11M9 18h11M4.5 6h.01M4.5 12h.01M4.5 18h.01',
  search: 'M16 16l5 5M18 11a7 7 0 1 1-14 0 7 7 0 0 1 14 0z',
  pen: 'M4 20l1-4L16 5l3 3L8 19l-4 1zM14 7l3 3',
  highlighter: 'M4 20h7M7 17l-1-1 9-9 3 3-9 9-1-1zM13 9l2 2',
  note: 'M5 4h14v10l-6 6H5zM13 20v-6h6',
  eraser: 'M4 15l9-9 6 6-7 7H8zM11 19h9M8.5 10.5l6 6',
  undo: 'M9 14L4 9l5-5M4 9h10a6 6 0 0 1 0 12h-3',
  redo: 'M15 14l5-5-5-5M20 9H10a6 6 0 0 0 0 12h3',
  finger: 'M9 12V5a1.5 1.5 0 0 1 3 0v6M12 11V9.5a1.5 1.5 0 0 1 3 0V12M15 11.5a1.5 1.5 0 0 1 3 0V15a6 6 0 0 1-6 6h-.5a5 5 0 0 1-4-2l-2.8-3.7a1.5 1.5 0 0 1 2.3-1.9L9 15',
  present: 'M3 4h18v12H3zM8 20h8M12 16v4',
  follow: 'M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12zM15 12a3 3 0 1 1-6 0 3 3 0 0 1 6 0z',
  menu: 'M4 6h16M4 12h16M4 18h16',
  sidebar: 'M3 5h18v14H3zM9 5v14',
  fitWidth: 'M3 12h18M6 9l-3 3 3 3M18 9l3 3-3 3',
  fitPage: 'M7 3h10v18H7zM12 7v10M10 9l2-2 2 2M10 15l2 2 2-2',
  twoPage: 'M3 5h8v14H3zM13 5h8v14h-8z',
  paper: 'M6 3h8l4 4v14H6zM14 3v4h4M9 12h6M9 16h6',
  agenda: 'M9 6h11M9 12h11M9 18h11M4 5l1-1v4M4 11h2l-2 3h2M4 17h2v3H4',
  export: 'M12 4v11M7 10l5 5 5-5M5 20h14',
  upload: 'M12 20V9M7 14l5-5 5 5M5 4h14',
  print: 'M7 9V4h10v5M7 17H4v-7h16v7h-3M7 14h10v6H7z',
  trash: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6M14 11v6',
  check: 'M5 12l5 5 9-10',
  plus: 'M12 5v14M5 12h14',
  notes: 'M5 3h14v18H5zM8 8h8M8 12h8M8 16h5',
  bookmark: 'M7 3h10v18l-5-4-5 4z',
  signOut: 'M14 4h5v16h-5M10 8l-4 4 4 4M6 12h10',
  device: 'M6 3h12v18H6zM11 18h2',
  people: 'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM3 20a6 6 0 0 1 12 0M16 4.5a3.5 3.5 0 0 1 0 6.5M18 14a6 6 0 0 1 3 6',
  vote: 'M4 12h16v8H4zM8 12l4-8 5 3-3 5M4 16h16',
  clock: 'M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z',
  warning: 'M12 3l10 18H2zM12 10v5M12 18h.01',
  info: 'M12 11v6M12 7.5h.01M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z',
  lock: 'M6 11h12v10H6zM8.5 11V7.5a3.5 3.5 0 0 1 7 0V11',
  settings: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19 12l2-1-2-4-2 .5-1.5-1L15 4h-4l-.5 2.5-1.5 1L7 7 5 11l2 1v0l-2 1 2 4 2-.5 1.5 1 .5 2.5h4l.5-2.5 1.5-1 2 .5 2-4z',
} as const;

export type IconName = keyof typeof PATHS;
export const ICON_NAMES = Object.keys(PATHS) as IconName[];

export function Icon({ name, size = 20, className }: { name: IconName; size?: number; className?: string }): ReactElement {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
