// Lint rules: typescript-eslint's recommended set, the React hooks rules, and the layering of the
// tree as a table (VS Code's habit: a wrong import fails `npm run lint`, so nobody has to remember
// the architecture). test/unit/lint-layers.test.ts proves a bad import and a cycle fail.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'stream', 'url', 'worker_threads', 'zlib', 'events', 'util', 'buffer', 'timers'];
const nodeBuiltinPatterns = nodeBuiltins.flatMap((m) => [m, `node:${m}`, `node:${m}/*`]);
// npm packages that only run under Node: the browser side (shared/, renderer/) must not pull them in.
const nodeOnlyPackages = ['ws', 'better-sqlite3', 'better-sqlite3-multiple-ciphers', 'fastify', '@fastify/*', 'range-parser', '@y/websocket-server'];

/**
 * Which folder may import which of ours (a folder always imports itself). The brief's layout:
 * shared/ is isomorphic and stands alone; the sync core under hub and agent, which never import
 * each other; the shell over the agent; electron/main is the composition root that hands the
 * agent to the shell; the renderer sees only shared/. Inside the renderer the features sit on
 * the plumbing and never the other way round (app/ ↔ console/ was a circle).
 */
const ROOTS = ['shared', 'electron/core', 'electron/hub', 'electron/agent', 'electron/shell', 'electron/main', 'electron/preload', 'renderer', 'scripts', 'build', 'test'];
export const LAYERS = {
  'shared': [],
  'electron/core': ['shared'],
  'electron/hub': ['electron/core', 'shared'],
  'electron/agent': ['electron/core', 'shared'],
  'electron/shell': ['electron/agent', 'electron/core', 'shared'],
  'electron/main': ['electron/shell', 'electron/agent', 'electron/core', 'shared'],
  'electron/preload': ['shared'],
  'renderer': ['shared'],
  'scripts': ['electron/hub', 'electron/shell', 'electron/core', 'shared'],
  'build': ['shared'],
};
const RENDERER = ['renderer/app', 'renderer/console', 'renderer/procedures', 'renderer/viewer', 'renderer/annotations', 'renderer/data', 'renderer/sync', 'renderer/desktop', 'renderer/i18n', 'renderer/search', 'renderer/records', 'renderer/ui', 'renderer/notes'];
/** Inside the renderer: what each folder must not import (its top-level modules are plumbing too). */
export const RENDERER_FORBIDDEN = {
  'renderer/console': ['renderer/app', 'renderer/viewer', 'renderer/desktop'],
  // The meeting's procedures (issue 14): the delegate's panel, the room screen and the chair's
  // controls, which the console mounts (so the console may import it, never the reverse).
  'renderer/procedures': ['renderer/app', 'renderer/console', 'renderer/viewer', 'renderer/desktop', 'renderer/annotations'],
  'renderer/viewer': ['renderer/app', 'renderer/console', 'renderer/procedures', 'renderer/desktop'],
  // Search across every paper (issue 15): the top bar's field and the results screen, which the
  // app mounts; it opens the viewer only through an address (route.ts).
  'renderer/search': ['renderer/app', 'renderer/console', 'renderer/procedures', 'renderer/viewer', 'renderer/desktop', 'renderer/annotations'],
  // The meeting's record (issue 15): under each agenda item, the console's Record tab and "My
  // action items", which the app and the console mount; it reads the live document through the
  // procedures' hooks.
  'renderer/records': ['renderer/app', 'renderer/console', 'renderer/viewer', 'renderer/desktop', 'renderer/annotations', 'renderer/search'],
  // "My notes" (issue 16): the panel over the reader's notes doc and the export with them; the
  // meeting screen mounts it, and it opens the viewer only through an address (route.ts).
  'renderer/notes': ['renderer/app', 'renderer/console', 'renderer/procedures', 'renderer/viewer', 'renderer/desktop', 'renderer/search', 'renderer/records'],
  'renderer/annotations': ['renderer/app', 'renderer/console', 'renderer/procedures', 'renderer/viewer', 'renderer/desktop', 'renderer/data'],
  'renderer/data': ['renderer/app', 'renderer/console', 'renderer/procedures', 'renderer/viewer', 'renderer/annotations', 'renderer/desktop', 'renderer/sync'],
  'renderer/sync': ['renderer/app', 'renderer/console', 'renderer/procedures', 'renderer/viewer', 'renderer/annotations', 'renderer/desktop', 'renderer/data'],
  'renderer/desktop': ['renderer/app', 'renderer/console', 'renderer/procedures', 'renderer/viewer', 'renderer/annotations', 'renderer/data'],
  'renderer/i18n': RENDERER.filter((f) => f !== 'renderer/i18n'),
  // The design system's pieces (icons, dialogs): plumbing every feature may use, knowing no feature.
  'renderer/ui': RENDERER.filter((f) => f !== 'renderer/ui' && f !== 'renderer/i18n'),
};

const zones = [
  ...Object.entries(LAYERS).flatMap(([target, allowed]) => ROOTS.filter((from) => from !== target && !allowed.includes(from)).map((from) => ({
    target: `./${target}`, from: `./${from}`,
    message: `${target} may import only ${allowed.length ? allowed.join(', ') : 'npm packages'} (layer table in eslint.config.js).`,
  }))),
  ...Object.entries(RENDERER_FORBIDDEN).flatMap(([target, forbidden]) => forbidden.map((from) => ({
    target: `./${target}`, from: `./${from}`,
    message: `${target} must not import ${from}: features sit on the plumbing, not the other way round (eslint.config.js).`,
  }))),
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-electron/', 'release/', 'data/', '.tools/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs', '.cjs'],
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only electron/main and electron/preload import electron.' }] }],
      'import-x/no-restricted-paths': ['error', { zones }],
    },
  },
  {
    // Tests and tools import the sources, never the reverse (the table forbids it), so a circle
    // can only run through the sources: checking them alone halves the rule's time. Only our own
    // files are followed (npm packages cannot import us back).
    files: ['shared/**', 'electron/**', 'renderer/**'],
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['electron/main/**', 'electron/preload/**', 'test/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['shared/**', 'renderer/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'shared/ and renderer/ never import electron.' }],
        patterns: [
          { group: nodeBuiltinPatterns, message: 'shared/ and renderer/ run in the browser: no Node APIs.' },
          { group: nodeOnlyPackages, message: 'shared/ and renderer/ run in the browser: no Node-only packages.' },
        ],
      }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.flat.recommended.rules, 'react-hooks/exhaustive-deps': 'error' },
  },
);
