// When the console becomes the secretary's desk (issue 16): on a wide screen the meeting's main
// area, empty while no paper is open, holds the console as a workspace instead of a tab strip in
// the side column. Wide means 1280 px or more, and not an upright touch-only tablet: a portrait
// tablet's screen belongs to the paper and the meeting drawer, where the tabbed console stays.
import { useMediaQuery } from '../ui/use-media-query.ts';

export const DESK_QUERY = '(min-width: 1280px) and ((orientation: landscape) or (any-pointer: fine))';

/** True while the window is wide enough for the desk (follows resizing and rotation). */
export const useDeskLayout = (): boolean => useMediaQuery(DESK_QUERY);
