// Lint for the whole studio. Beyond the usual checks it enforces the process boundaries of
// docs/ARCHITECTURE.md: the renderer cannot reach Node, Electron or main; main cannot reach the
// renderer; the core services never import Electron; the contract has no runtime imports.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'worker_threads'];
// The boundaries main/ keeps (a later block for the same files replaces, not extends, a rule).
const noElectron = {
  name: 'electron',
  message: 'Core services know nothing about Electron (docs/ARCHITECTURE.md).',
};
const noRenderer = { group: ['**/renderer/**'], message: 'main/ must not import the renderer.' };
const noTensorFlow = {
  group: ['@tensorflow/*'],
  message: 'tfjs lives in the ML worker (main/ml/worker/): send the work there through MlHost.',
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.studio-data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/ban-ts-comment': [
        'error',
        { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            'electron',
            'better-sqlite3',
            'sharp',
            'ws',
            ...nodeBuiltins.filter((n) => !n.includes('*')),
          ].map((name) => ({
            name,
            message: 'The renderer runs in a browser page: reach the core through window.studio.',
          })),
          patterns: [
            {
              group: ['node:*'],
              message: 'The renderer runs in a browser page: no Node built-ins.',
            },
            {
              group: ['**/main/**', '../../main/*', '../main/*'],
              message: 'The renderer must not import main/: use the contract.',
            },
            { group: ['@tensorflow/*'], message: 'tfjs lives in the ML worker, not the renderer.' },
          ],
        },
      ],
    },
  },
  {
    // Core services: plain Node. Only the Electron shell (index.ts, window.ts, ipc/) may import
    // electron, and only the ML worker's folder may import TensorFlow: tfjs cannot be loaded twice
    // in one process, and the core thread must stay responsive (send the work to MlHost).
    files: ['main/**/*.ts'],
    ignores: ['main/index.ts', 'main/window.ts', 'main/ipc/**', 'main/ml/worker/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noElectron], patterns: [noRenderer, noTensorFlow] },
      ],
    },
  },
  {
    // The worker thread: the one place that owns tfjs.
    files: ['main/ml/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noRenderer] }],
    },
  },
  {
    files: ['main/index.ts', 'main/window.ts', 'main/ipc/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noRenderer, noTensorFlow] }],
    },
  },
  {
    // Pure code both main/ and the renderer run (the report card's verdict): it runs in a page
    // and in Node, so it may reach neither, nor either side, only the contract's types.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            'electron',
            'better-sqlite3',
            'sharp',
            'ws',
            ...nodeBuiltins.filter((n) => !n.includes('*')),
          ].map((name) => ({
            name,
            message: 'shared/ runs in the page and in Node: no platform modules.',
          })),
          patterns: [
            { group: ['node:*'], message: 'shared/ runs in the page too: no Node built-ins.' },
            {
              group: ['**/main/**', '**/renderer/**'],
              message: 'shared/ is imported by both sides: it imports neither.',
            },
            { group: ['@tensorflow/*'], message: 'tfjs lives in the ML worker.' },
          ],
        },
      ],
    },
  },
  {
    files: ['preload/contract/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportDeclaration[importKind!="type"]',
          message: 'The contract is shared by every process: it may import types only.',
        },
        {
          // A value re-export loads the other file at run time just like an import.
          selector:
            ':matches(ExportAllDeclaration, ExportNamedDeclaration[source])[exportKind!="type"]',
          message: 'The contract is shared by every process: it may re-export types only.',
        },
      ],
      // The renderer type-checks against the contract alone (tsconfig.web.json): a type from
      // main/ would pull Node's world into the web project.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/main/**', '**/renderer/**'], message: 'The contract stands alone.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
