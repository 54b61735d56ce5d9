// Lint: typescript-eslint's recommended rules plus the layer rule of DESIGN.md ("Dependency direction").
// A wrong import arrow fails here, in CI, before anyone builds on it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Import patterns that name a folder of src/ from anywhere below it. */
const folder = (name) => [`**/${name}`, `**/${name}/**`, `**/${name}.js`];
const wiring = [...folder('cli'), ...folder('app'), ...folder('scan')];
const faces = [...folder('server'), ...folder('export')];
const state = [...folder('store'), ...folder('hosts')];
const layerRule = (message, groups, extra = []) => [
  'error',
  { patterns: [{ group: groups, message }], paths: extra },
];
const noIo = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https', 'tls', 'node:tls', 'child_process', 'node:child_process'].map(
  (name) => ({ name, message: 'detect/ is a pure function of its input: no I/O.' }),
);
const noFaces = ['express', 'socket.io', 'lowdb', 'lowdb/node'].map((name) => ({
  name,
  message: 'proxy/ knows nothing of express, socket.io, lowdb or the dashboard: emit flows on the bus.',
}));

export default tseslint.config(
  { ignores: ['dist/**', 'dist-check/**', 'node_modules/**', 'web/dist/**', 'data/**', 'certs/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', URL: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', performance: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/types/**'],
    rules: { 'no-restricted-imports': layerRule('types/ holds types only and imports nothing above it.', [...wiring, ...faces, ...state, ...folder('proxy'), ...folder('detect')]) },
  },
  {
    files: ['src/detect/**'],
    rules: { 'no-restricted-imports': layerRule('detect/ may import types/ only (engines never import each other or anything above).', [...wiring, ...faces, ...state, ...folder('proxy')], noIo) },
  },
  {
    files: ['src/proxy/**'],
    rules: { 'no-restricted-imports': layerRule('proxy/ may import types/ only (engines never import each other or anything above).', [...wiring, ...faces, ...state, ...folder('detect')], noFaces) },
  },
  {
    files: ['src/store/**', 'src/hosts/**'],
    rules: { 'no-restricted-imports': layerRule('state (store/, hosts/) may import engines and types, never faces or wiring.', [...wiring, ...faces]) },
  },
  {
    files: ['src/server/**', 'src/export/**'],
    rules: { 'no-restricted-imports': layerRule('faces (server/, export/) may not import the wiring.', wiring) },
  },
  {
    files: ['web/**'],
    rules: { 'no-restricted-imports': layerRule('web/ talks to src/ over HTTP and socket.io; it may share types only.', ['**/src/*', '!**/src/types', '**/src/!(types)/**']) },
  },
);
