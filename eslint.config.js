// Lint rules: typescript-eslint's recommended set, plus the layering rules from the brief
// (only electron/main and electron/preload may import electron; shared/ stays isomorphic).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'stream', 'url', 'worker_threads', 'zlib', 'events', 'util', 'buffer', 'timers'];
const nodeBuiltinPatterns = nodeBuiltins.flatMap((m) => [m, `node:${m}`, `node:${m}/*`]);

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-electron/', 'release/', 'data/', '.tools/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only electron/main and electron/preload import electron.' }] }],
    },
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
        patterns: [{ group: nodeBuiltinPatterns, message: 'shared/ and renderer/ run in the browser: no Node APIs.' }, { group: ['**/electron/**'], message: 'shared/ and renderer/ may import only shared/.' }],
      }],
    },
  },
);
