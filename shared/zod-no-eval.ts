// Imported first by the page's entry and by the preload, before any schema is built: zod's fast
// path compiles each object schema's parser with `new Function`, which the desktop shell's CSP
// (no 'unsafe-eval') refuses with an EvalError, and the setting is read when a schema is
// created. Interpreted parsing is fast enough for API answers and IPC messages.
import { z } from 'zod';

z.config({ jitless: true });
